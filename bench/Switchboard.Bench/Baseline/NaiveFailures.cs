using System.Collections.Concurrent;

namespace Switchboard.Bench.Baseline;

/// <summary>Failed attempts and dropped links by cause, named like Switchboard's tags so the two sides line up in the report.</summary>
internal sealed class NaiveFailures
{
    public const string ConnectTimeout = "connect_timeout";
    public const string HandshakeTimeout = "handshake_timeout";
    public const string Refused = "refused";
    public const string ConnectFailed = "connect_failed";
    public const string HandshakeFailed = "handshake_failed";
    public const string PeerClosed = "peer_closed";
    public const string Reset = "reset";
    public const string Protocol = "protocol";

    private readonly ConcurrentDictionary<string, long> _byCause = new();

    public void Count(string cause) => _byCause.AddOrUpdate(cause, 1, (_, total) => total + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byCause);
}
