using Akka.Actor;
using Switchboard.Diagnostics;

namespace Switchboard.IO;

/// <summary>
/// The acknowledged framing on the wire (links that negotiated it by ALPN). The client (the endpoint
/// actor) numbers its data frames; the first frame on each link is its Resume. The receiving IO actor
/// answers with an Ack of the last frame delivered, counts data frames from there, drops copies it
/// already delivered, and acknowledges once per read batch and with heartbeats.
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

        if (!ControlFrame.TryParse(body, out var frame, out var known))
        {
            if (known)
            {
                link.ProtocolViolation = $"sent a malformed control frame ({body.Length} bytes, type {body[0]})";
            }

            return; // an unknown type: a later version's, which this one may ignore
        }

        switch (frame.Type, link.Direction)
        {
            case (ControlFrameType.Resume, LinkDirection.Inbound) when link.Delivery is null:
                OnResume(link, frame);
                break;
            case (ControlFrameType.Ack, LinkDirection.Outbound):
                link.Owner?.Tell(new Io.Acked(link.Id, frame.Seq));
                break;
            default:
                link.ProtocolViolation = $"sent an unexpected {frame.Type} control frame";
                break;
        }
    }

    private void OnResume(Link link, ControlFrame resume)
    {
        if (resume.Seq < 1)
        {
            link.ProtocolViolation = $"resumed at sequence number {resume.Seq}; they start at 1";
            return;
        }

        // Without a registry (a link accepted outside a listener) every sender is new to us.
        var peer = link.Tls?.Handshake?.PeerIdentity ?? link.Name;
        var record = link.Deliveries?.For(peer, resume.Epoch) ?? new DeliveryRecord(0);
        var delivered = record.Resume(resume.Seq);
        link.Delivery = record;
        link.NextInboundSeq = delivered + 1;
        link.AckDue = true; // the sender waits for this Ack before it resends anything
    }

    /// <summary>An inbound data frame on an acknowledged link: handed on unless it is a copy already delivered.</summary>
    private void DeliverNumbered(Link link, ReadOnlySpan<byte> payload)
    {
        if (link.Delivery is not { } record)
        {
            link.ProtocolViolation = "sent a data frame before Resume";
            return;
        }

        var seq = link.NextInboundSeq++;
        link.AckDue = true;
        using (record.EnterScope())
        {
            if (!record.IsNew(seq))
            {
                SwitchboardMetrics.DuplicatesDropped.Add(1);
                return;
            }

            HandOn(link, payload);
            record.MarkDelivered(seq);
        }
    }

    /// <summary>Queues an Ack of the sender's last delivered frame into <see cref="_toSend"/> when one is due.</summary>
    private void AppendAckIfDue(Link link)
    {
        if (!link.AckDue || link.Delivery is not { } record || link.State != LinkState.Up || link.Silent)
        {
            return;
        }

        link.AckDue = false;
        EncryptControl(link, ControlFrame.Ack(record.Delivered));
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
