using System.Collections.Concurrent;
using Switchboard.Tls;

namespace Switchboard.Tests.Tls;

/// <summary>The simplest server session-ID cache: a dictionary that counts what OpenSSL asked of it.</summary>
internal sealed class DictionarySessionCache : IServerSessionCache
{
    private readonly ConcurrentDictionary<string, byte[]> _sessions = new();

    public int Stores { get; private set; }

    public int Hits { get; private set; }

    public int Misses { get; private set; }

    public int Removes { get; private set; }

    public int Count => _sessions.Count;

    public void Store(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> session, DateTime expiresAtUtc)
    {
        Stores++;
        _sessions[Convert.ToHexString(sessionId)] = session.ToArray();
    }

    public byte[]? Find(ReadOnlySpan<byte> sessionId)
    {
        if (_sessions.TryGetValue(Convert.ToHexString(sessionId), out var session))
        {
            Hits++;
            return session;
        }
        Misses++;
        return null;
    }

    public void Remove(ReadOnlySpan<byte> sessionId)
    {
        Removes++;
        _sessions.TryRemove(Convert.ToHexString(sessionId), out _);
    }
}
