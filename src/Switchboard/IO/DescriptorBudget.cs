namespace Switchboard.IO;

/// <summary>
/// How close the process is to its open-file limit. An accept flood that takes the last descriptors
/// does not just fail the next accept: the .NET runtime itself then fails to get descriptors and aborts
/// the process ("Out of memory."). So the listener keeps a reserve: it refuses a connection whose
/// descriptor lands in the top tenth of the limit (at least 32). Descriptors are handed out lowest
/// first, so the accepted socket's number tells how many are open.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>Descriptor numbers at or above this are refused; long.MaxValue where the limit is unknown.</summary>
    public static readonly long RefuseFrom = ReadRefuseFrom();

    public static bool InReserve(IntPtr descriptor) => (long)descriptor >= RefuseFrom;

    private static long ReadRefuseFrom()
    {
        if (!OperatingSystem.IsLinux() || OpenFileLimit.Get(out var limit) != 0 || limit.Current > int.MaxValue)
        {
            return long.MaxValue;
        }

        var soft = (long)limit.Current;
        return soft - Math.Max(32, soft / 10);
    }
}
