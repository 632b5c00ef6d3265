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

    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly ConcurrentDictionary<string, long> _drops = new();

    /// <summary>An attempt that did not get a link up.</summary>
    public void Failed(string cause) => _failures.AddOrUpdate(cause, 1, (_, total) => total + 1);

    /// <summary>A link that was up and went down.</summary>
    public void Dropped(string cause) => _drops.AddOrUpdate(cause, 1, (_, total) => total + 1);

    public IReadOnlyDictionary<string, long> Failures() => new Dictionary<string, long>(_failures);

    public IReadOnlyDictionary<string, long> Drops() => new Dictionary<string, long>(_drops);
}
