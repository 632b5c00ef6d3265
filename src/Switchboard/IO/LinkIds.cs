namespace Switchboard.IO;

/// <summary>Process-wide link ids, so a late socket completion can never be mistaken for a newer link.</summary>
internal static class LinkIds
{
    private static long _last;

    public static long Next() => Interlocked.Increment(ref _last);
}
