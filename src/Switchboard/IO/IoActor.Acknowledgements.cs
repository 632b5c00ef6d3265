using Akka.Actor;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// Acknowledged delivery on the wire (links that negotiated it by ALPN). The dialing side's numbering and
/// resending live in the endpoint's <see cref="SendWindow"/>; here it sends the Resume from the position the
/// endpoint opened the link with, and hands the peer's Acks back. The accepting side is the link's <see cref="ReceiveWindow"/>, fed from here.
/// </summary>
internal sealed partial class IoActor
{
    /// <summary>
    /// The dialing side's Resume, encrypted behind the client's last handshake flight, which is still in
    /// <see cref="_toSend"/>: one write and one segment carry both, and the peer reads both in one wake-up.
    /// Sent after the link was up, on the owner's word, it cost an actor hop, a send, and a segment and its ACK on
    /// each side, for every link a storm brings up. Only an outbound link that negotiated acknowledged framing
    /// gets one, from its owner's <see cref="Io.DeliveryPosition"/>.
    /// </summary>
    /// <returns>What encrypting it reported: a failure is the link's, for <see cref="Apply"/> to act on.</returns>
    private TlsProgress AppendResume(Link link)
    {
        // The same read may have ended the connection after its handshake (an alert behind the server's Finished):
        // then there is nothing to write to, and what failed is Apply's to report.
        if (link.Outbound is not { Delivery: { } at } || link.Tls is not { State: TlsState.Established, Handshake.Acknowledged: true } tls)
        {
            return TlsProgress.None;
        }

        return Encrypt(tls, ControlFrame.Resume(at.Epoch, at.NextSeq));
    }

    /// <summary>A control frame's body (type byte and fields), while the link's frames are decoded.</summary>
    private void Control(Link link, ReadOnlySpan<byte> body)
    {
        if (link.State != LinkState.Up || link.ProtocolViolation is not null)
        {
            return;
        }

        if (link.Inbound?.Window is { } window)
        {
            window.OnControl(body, link.Tls?.Handshake?.PeerIdentity ?? link.Name);
            link.ProtocolViolation = window.Violation;
            return;
        }

        if (!ControlFrame.TryParse(body, out var frame, out var known))
        {
            if (known)
            {
                link.ProtocolViolation = $"sent a malformed control frame ({body.Length} bytes, type {body[0]})";
            }

            return; // an unknown type: a later version's, which this one may ignore
        }

        if (frame.Type == ControlFrameType.Ack && link.Outbound is { } outbound)
        {
            outbound.Owner.Tell(new Io.Acked(link.Id, frame.Seq));
            return;
        }

        link.ProtocolViolation = $"sent an unexpected {frame.Type} control frame";
    }

    /// <summary>Queues an Ack of the sender's last delivered frame into <see cref="_toSend"/> when one is due.</summary>
    private void AppendAckIfDue(Link link)
    {
        if (link.CanSend && link.KeepsAlive && link.Inbound?.Window?.TakeAck() is { } ack)
        {
            EncryptControl(link, ack);
        }
    }

    private void EncryptControl(Link link, ControlFrame frame)
    {
        if ((Encrypt(link.Tls!, frame) & TlsProgress.Failed) != 0)
        {
            throw new InvalidOperationException(link.Tls!.Failure?.Reason ?? "TLS write failed");
        }
    }

    /// <summary>Encrypts <paramref name="frame"/> into <see cref="_toSend"/>, behind whatever is already there.</summary>
    private TlsProgress Encrypt(TlsConnection tls, ControlFrame frame)
    {
        _frame.ResetWrittenCount();
        frame.Write(_frame);
        return tls.Send(_frame.WrittenSpan, _toSend);
    }
}
