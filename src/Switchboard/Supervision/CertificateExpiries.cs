using System.Collections.Concurrent;

namespace Switchboard.Supervision;

/// <summary>
/// When the agents' certificates and our own run out, for the gauge an operator alerts on: endpoint actors record
/// their peer's NotAfter at each link up and forget it when they stop; the gauge reads the earliest.
/// </summary>
internal sealed class CertificateExpiries(Func<DateTime?> own, Func<DateTime?> crlNextUpdate)
{
    private readonly ConcurrentDictionary<string, DateTime> _peers = new(StringComparer.OrdinalIgnoreCase);

    public void Track(string endpoint, DateTime? notAfter)
    {
        if (notAfter is { } value)
        {
            _peers[endpoint] = value;
        }
    }

    public void Forget(string endpoint) => _peers.TryRemove(endpoint, out _);

    /// <summary>The earliest peer certificate's NotAfter; null while no link has come up.</summary>
    public DateTime? EarliestPeer => _peers.IsEmpty ? null : _peers.Values.Min();

    public DateTime? Own => own();

    /// <summary>When the CRL in use goes stale; null without one.</summary>
    public DateTime? CrlNextUpdate => crlNextUpdate();
}
