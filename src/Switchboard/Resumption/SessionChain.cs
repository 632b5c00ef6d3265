namespace Switchboard.Resumption;

/// <summary>
/// Where a session's trust comes from: the full handshake that verified the peer's chain, and when the peer's
/// certificate stops being valid. A resumption (TLS 1.3 issues a fresh ticket on each) inherits both, so a
/// chain of resumptions never outlives <c>resumption.max-chain-age</c> or the certificate (architecture §9).
/// </summary>
/// <param name="StartedUtc">When the full handshake at the chain's origin verified the peer.</param>
/// <param name="PeerNotAfterUtc">The peer certificate's NotAfter, as that handshake saw it.</param>
/// <param name="PeerSerial">The peer certificate's serial (hex), so a revocation reaches links resumed without it.</param>
internal readonly record struct SessionChain(DateTime StartedUtc, DateTime PeerNotAfterUtc, string? PeerSerial = null)
{
    /// <summary>A chain nobody can vouch for: a session with it is never offered.</summary>
    public static readonly SessionChain Unknown = new(DateTime.MinValue, DateTime.MinValue);

    /// <summary>The latest moment a session of this chain may be offered.</summary>
    public DateTime OfferableUntil(TimeSpan maxChainAge)
    {
        var aged = StartedUtc > DateTime.MaxValue - maxChainAge ? DateTime.MaxValue : StartedUtc + maxChainAge;
        return aged < PeerNotAfterUtc ? aged : PeerNotAfterUtc;
    }
}
