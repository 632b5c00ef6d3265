using System.Globalization;

namespace Switchboard.Configuration;

/// <summary>Durations shown the way a config would write them (<c>60s</c>, <c>2h</c>, <c>500ms</c>).</summary>
internal static class Durations
{
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms switch
        {
            _ when ms != 0 && ms % 3_600_000 == 0 => $"{(ms / 3_600_000).ToString(CultureInfo.InvariantCulture)}h",
            _ when ms != 0 && ms % 60_000 == 0 => $"{(ms / 60_000).ToString(CultureInfo.InvariantCulture)}m",
            _ when ms % 1_000 == 0 => $"{(ms / 1_000).ToString(CultureInfo.InvariantCulture)}s",
            _ => $"{ms.ToString(CultureInfo.InvariantCulture)}ms",
        };
    }
}
