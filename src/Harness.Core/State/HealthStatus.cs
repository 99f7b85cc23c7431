namespace Harness.Core.State;

/// <summary>Health as stored in state.json. Names are the file format's values.</summary>
public enum HealthStatus
{
    UNKNOWN,
    HEALTHY,
    BROKEN,
}
