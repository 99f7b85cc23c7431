using System.Text.Json.Serialization;
using Harness.Core.Json.Converters;

namespace Harness.Core.State;

/// <summary>Health as stored in state.json. Names are the file format's values.</summary>
[JsonConverter(typeof(EnumNameConverter<HealthStatus>))]
public enum HealthStatus
{
    UNKNOWN,
    HEALTHY,
    BROKEN,
}
