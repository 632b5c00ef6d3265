using System.Globalization;

namespace Switchboard.Configuration;

/// <summary>Byte counts shown the way a config would write them (<c>16 MiB</c>), so messages read like the file.</summary>
internal static class Sizes
{
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in Units)
        {
            if (bytes != 0 && bytes % size == 0)
            {
                return $"{(bytes / size).ToString(CultureInfo.InvariantCulture)} {unit}";
            }
        }

        return $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
    }

    private static readonly (string Unit, long Size)[] Units = [("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];
}
