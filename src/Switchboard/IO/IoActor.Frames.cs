using Akka.Actor;
using Switchboard.Diagnostics;

namespace Switchboard.IO;

/// <summary>Plaintext frames both ways, heartbeats, and the idle check.</summary>
internal sealed partial class IoActor
{
    private static readonly FrameHandler<(IoActor Actor, Link Link)> OnFrame = static (state, payload) => state.Actor.Deliver(state.Link, payload);

    private static readonly FrameHandler<(IoActor Actor, Link Link)> OnControl = static (state, body) => state.Actor.Control(state.Link, body);

    private static readonly FrameHandler<(IoActor Actor, Link Link)> OnNew = static (state, payload) => state.Actor.HandOn(state.Link, payload);

    /// <returns>false when the link is gone.</returns>
    private bool DecodeFrames(Link link)
    {
        var tooLarge = link.Decoder.Feed(_plaintext.WrittenSpan, (this, link), OnFrame, link.Acknowledged ? OnControl : null);
        if (tooLarge is { } size)
        {
            Fail(link, new LinkFailure(LinkFailureCause.FrameTooLarge, $"{link.Name} sent a frame of {size} bytes; max-frame-size is {_io.MaxFrameSize}"), sendCloseNotify: true);
            return false;
        }

        if (link.ProtocolViolation is { } violation)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Protocol, $"{link.Name} {violation}"), sendCloseNotify: true);
            return false;
        }

        // At most one Ack per read batch, after the frames it covers were handed on.
        AppendAckIfDue(link);

        // Answers written by the handler and the Ack were queued into _toSend while decoding.
        return link.State != LinkState.Up || Flush(link);
    }

    private void Deliver(Link link, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || link.State != LinkState.Up || link.ProtocolViolation is not null)
        {
            return; // a heartbeat: its arrival already counted as liveness
        }

        if (link.Inbound?.Window is { } window)
        {
            window.OnData(payload, (this, link), OnNew);
            link.ProtocolViolation = window.Violation;
            return;
        }

        HandOn(link, payload);
    }

    /// <summary>To the application: the inbound handler, or the endpoint that owns an outbound link.</summary>
    private void HandOn(Link link, ReadOnlySpan<byte> payload)
    {
        SwitchboardMetrics.MessagesReceived.Add(1);
        link.Credit?.HandedOn(payload.Length);
        if (link.Inbound is { } inbound)
        {
            using (InboundLink.Enter(inbound.Handle))
            {
                inbound.Handler.OnFrame(inbound.Handle, payload);
            }

            return;
        }

        link.Outbound!.Owner.Tell(new Io.FrameReceived(link.Id, payload.ToArray()));
    }

    private void OnWrite(Io.WriteFrame command)
    {
        if (!_links.TryGetValue(command.LinkId, out var link) || !link.CanSend)
        {
            // The link went down (or is going: the peer closed it) before this write got here; the owner
            // hears LinkDown and requeues.
            Sender.Tell(new Io.FrameNotWritten(command.LinkId, command.Payload, command.ReplyTo, command.Seq));
            return;
        }

        WithLink(link, l =>
        {
            _toSend.ResetWrittenCount();
            Encrypt(l, command.Payload.Span);
            if (Flush(l))
            {
                if (!l.Acknowledged)
                {
                    l.TrackUnsent(command.Payload, command.ReplyTo);
                }

                SwitchboardMetrics.MessagesSent.Add(1);
                return;
            }

            // The link died taking this frame (reset, or a peer that stopped reading): the owner heard
            // LinkDown first, and now gets the frame back to send on the next link.
            Sender.Tell(new Io.FrameNotWritten(command.LinkId, command.Payload, command.ReplyTo, command.Seq));
        });
    }

    /// <summary>Frames and encrypts into <see cref="_toSend"/>; the caller flushes.</summary>
    private void Encrypt(Link link, ReadOnlySpan<byte> payload)
    {
        _frame.ResetWrittenCount();
        Framing.Write(_frame, payload);
        var progress = link.Tls!.Send(_frame.WrittenSpan, _toSend);
        if ((progress & Tls.TlsProgress.Failed) != 0)
        {
            throw new InvalidOperationException(link.Tls.Failure?.Reason ?? "TLS write failed");
        }
    }

    /// <summary>Every live link, checked in one pass: cut the silent, heartbeat the quiet.</summary>
    private void OnLivenessTick()
    {
        if (_links.Count == 0)
        {
            return;
        }

        foreach (var link in _links.Values)
        {
            if (link.State == LinkState.Up)
            {
                _livenessPass.Add(link);
            }
        }

        try
        {
            foreach (var link in _livenessPass)
            {
                WithLink(link, CheckLiveness);
            }
        }
        finally
        {
            _livenessPass.Clear();
        }
    }

    private void CheckLiveness(Link link)
    {
        if (link.State != LinkState.Up)
        {
            return;
        }

        var silent = Now - link.LastReceivedAt;
        if (silent > _connection.IdleTimeout && !link.ReadingPaused)
        {
            Fail(link, new LinkFailure(LinkFailureCause.IdleTimeout, $"nothing received from {link.Name} for {silent.TotalSeconds:F0} s (idle-timeout {_connection.IdleTimeout.TotalSeconds:F0} s)"), sendCloseNotify: true);
            return;
        }

        if (link.KeepsAlive && link.CanSend && Now - link.LastSentAt >= _connection.HeartbeatInterval - LivenessPeriod())
        {
            _toSend.ResetWrittenCount();
            Encrypt(link, ReadOnlySpan<byte>.Empty);
            link.Inbound?.Window?.HeartbeatDue();
            AppendAckIfDue(link);
            Flush(link);
        }
    }

    /// <summary>How often the links are checked: fine enough that idle-timeout and heartbeats are honoured within a third.</summary>
    private TimeSpan LivenessPeriod()
    {
        var third = TimeSpan.FromTicks(Math.Min(_connection.HeartbeatInterval.Ticks, _connection.IdleTimeout.Ticks) / 3);
        return third < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : third;
    }
}
