using Akka.Actor;
using Switchboard.IO.Delivery;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// Acknowledged delivery on the wire (links that negotiated it by ALPN). The dialing side's numbering and
/// resending live in the endpoint's <see cref="SendWindow"/>; here it sends the endpoint's Resume and hands
/// the peer's Acks back. The accepting side is the link's <see cref="ReceiveWindow"/>, fed from here.
/// </summary>
internal sealed partial class IoActor
{
    private void SendResume(Link link, Io.SendResume command)
    {
        if (link.State != LinkState.Up || !link.Acknowledged)
        {
            return;
        }

        _toSend.ResetWrittenCount();
        EncryptControl(link, ControlFrame.Resume(command.Epoch, command.NextSeq));
        Flush(link);
    }

    /// <summary>
    /// The dialing side's Resume, encrypted behind the client's last handshake flight, which is still in
    /// <see cref="_toSend"/>: one write and one segment carry both, and the peer reads both in one wake-up.
    /// Sent after the link was up, on the owner's word, it cost an actor hop, a send, and a segment and its ACK on
    /// each side, for every link a storm brings up.
    /// </summary>
    /// <param name="sent">Whether it was (an outbound link that negotiated acknowledged framing, opened with its
    /// owner's <see cref="Io.DeliveryPosition"/>).</param>
    /// <returns>What encrypting it reported: a failure is the link's, for <see cref="Apply"/> to act on.</returns>
    private TlsProgress AppendResume(Link link, out bool sent)
    {
        sent = false;
        // The same read may have ended the connection after its handshake (an alert behind the server's Finished):
        // then there is nothing to write to, and what failed is Apply's to report.
        if (link.Outbound is not { Delivery: { } at } || link.Tls is not { State: TlsState.Established, Handshake.Acknowledged: true } tls)
        {
            return TlsProgress.None;
        }

        _frame.ResetWrittenCount();
        ControlFrame.Resume(at.Epoch, at.NextSeq).Write(_frame);
        var progress = tls.Send(_frame.WrittenSpan, _toSend);
        sent = (progress & TlsProgress.Failed) == 0;
        return progress;
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
        _frame.ResetWrittenCount();
        frame.Write(_frame);
        var progress = link.Tls!.Send(_frame.WrittenSpan, _toSend);
        if ((progress & Tls.TlsProgress.Failed) != 0)
        {
            throw new InvalidOperationException(link.Tls.Failure?.Reason ?? "TLS write failed");
        }
    }
}
