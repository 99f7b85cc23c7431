using System.Globalization;
using System.Management.Automation;

namespace Harness.PowerShell.Commands;

/// <summary>Lets a TimeSpan parameter take a plain number as seconds (as <c>harness loop</c> does), not as ticks.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            int or long or short or byte or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ => inputData,
        };
    }
}
