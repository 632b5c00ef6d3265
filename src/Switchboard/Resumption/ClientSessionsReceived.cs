using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Told by an IO actor to the cache actor (or any session sink, like <c>probe</c>) when OpenSSL hands over
/// new client sessions: TLS 1.2 at the end of the handshake, TLS 1.3 tickets afterwards. The receiver owns them.
/// </summary>
/// <param name="Resumed">The link's handshake resumed a session: these descend from the one the cache offered.</param>
/// <param name="PeerNotAfterUtc">When the peer's certificate expires, if the handshake saw it.</param>
/// <param name="PeerSerial">The peer certificate's serial, if the handshake saw it.</param>
internal sealed record ClientSessionsReceived(string Key, IReadOnlyList<TlsSession> Sessions, bool Resumed = false, DateTime? PeerNotAfterUtc = null, string? PeerSerial = null);
