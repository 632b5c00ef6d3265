using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Told by an IO actor to the cache actor (or any session sink, like <c>probe</c>) when OpenSSL hands over
/// new client sessions: TLS 1.2 at the end of the handshake, TLS 1.3 tickets afterwards. The receiver owns them.
/// </summary>
internal sealed record ClientSessionsReceived(string Key, IReadOnlyList<TlsSession> Sessions);
