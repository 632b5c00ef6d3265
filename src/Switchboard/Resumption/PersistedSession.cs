namespace Switchboard.Resumption;

/// <summary>One client session as the session file keeps it.</summary>
/// <param name="Key">The endpoint it resumes (its name).</param>
/// <param name="Der">The session as <c>i2d_SSL_SESSION</c> encoded it.</param>
/// <param name="Protocol">The owner's protocol tag (e.g. <c>(byte)TlsVersion</c>); stored as is.</param>
/// <param name="Chain">The full handshake it descends from and the peer certificate's end.</param>
internal sealed record PersistedSession(string Key, byte[] Der, DateTime ExpiresAtUtc, byte Protocol, SessionChain Chain);
