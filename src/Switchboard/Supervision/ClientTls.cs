using Switchboard.Tls;

namespace Switchboard.Supervision;

/// <summary>
/// The client context every new handshake uses. A reload swaps it; links already up keep the context they
/// were made with (an SSL holds its own reference to its SSL_CTX), so renewal never drops a live link.
/// Old contexts are left to their SafeHandle's finalizer rather than freed here, because an attempt may
/// have picked one up a moment before the swap.
/// </summary>
internal sealed class ClientTls(TlsContext initial)
{
    private volatile TlsContext _current = initial;

    public TlsContext Current => _current;

    public void Replace(TlsContext context) => _current = context;
}
