using Akka.Actor;
using Switchboard.IO.Delivery;

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
