namespace Switchboard.Tls;

internal enum TlsState
{
    Handshaking,
    Established,
    Closed,
    Failed,
}
