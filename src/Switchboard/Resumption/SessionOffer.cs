using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>The cache's answer: a session the asker now owns (TLS 1.3 tickets are handed out once), or none.</summary>
internal sealed record SessionOffer(long LinkId, TlsSession? Session);
