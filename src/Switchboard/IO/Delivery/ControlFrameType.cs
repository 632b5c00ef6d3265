namespace Switchboard.IO.Delivery;

/// <summary>The first byte of a control frame's body (links that negotiated <see cref="Tls.TlsContext.AcknowledgedProtocol"/> only).</summary>
internal enum ControlFrameType : byte
{
    /// <summary>Client → server, first frame after the handshake: epoch (u64) and the first sequence number the client may send (u64).</summary>
    Resume = 1,

    /// <summary>Server → client: every data frame up to and including this sequence number (u64) was delivered.</summary>
    Ack = 2,
}
