using System.Collections.Concurrent;

namespace Switchboard.Bench.Baseline;

/// <summary>Failed attempts by cause, named like Switchboard's so the two sides line up in the report.</summary>
internal sealed class NaiveFailures
{
    public const string ConnectTimeout = "connect_timeout";
    public const string HandshakeTimeout = "handshake_timeout";
    public const string ConnectFailed = "connect_failed";
    public const string HandshakeFailed = "handshake_failed";

    private readonly ConcurrentDictionary<string, long> _byCause = new();

    public void Count(string cause) => _byCause.AddOrUpdate(cause, 1, (_, total) => total + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byCause);
}
