using System.Text.Json.Serialization;
using Harness.Core.Json.Converters;

namespace Harness.Core.State;

/// <summary>The states of DESIGN.md's state machine. Names are the file format's values.</summary>
[JsonConverter(typeof(EnumNameConverter<SessionState>))]
public enum SessionState
{
    START,
    INIT,
    IMPLEMENT,
    TEST,
    FIX_BROKEN,
    COMPLETE,
}
