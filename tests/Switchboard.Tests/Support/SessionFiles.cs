using Switchboard.Resumption;

namespace Switchboard.Tests.Support;

/// <summary>A session file sealed and written in one call: what the cache actor does in two, on two threads.</summary>
internal static class SessionFiles
{
    public static bool TrySave(string path, SessionFileContents contents, DateTime nowUtc, SessionFileKey key, out string? error)
    {
        if (!SessionFile.TrySeal(path, contents, nowUtc, key, out var sealedFile, out error))
        {
            return false;
        }

        using (sealedFile)
        {
            return SessionFile.TryWrite(path, sealedFile.Span, out error);
        }
    }
}
