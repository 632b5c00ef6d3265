namespace Switchboard.IO;

internal enum LinkState
{
    Connecting,
    Handshaking,
    Up,
    Closing,
    Closed,
}
