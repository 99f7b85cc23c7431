using System.Globalization;

namespace Harness.Core.Features;

/// <summary>The quickstart's ids: its features have none, so they are numbered by position, padded to the list's length.</summary>
internal static class QuickstartIds
{
    internal static int Width(int count) =>
        Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length);

    internal static string For(int index, int width) =>
        "F" + (index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
}
