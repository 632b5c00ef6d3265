using Akka.Actor;
using Switchboard.Diagnostics;

namespace Switchboard.IO;

/// <summary>Plaintext frames both ways, heartbeats, and the idle check.</summary>
internal sealed partial class IoActor
{
    private static readonly FrameHandler<(IoActor Actor, Link Link)> OnFrame = static (state, payload) => state.Actor.Deliver(state.Link, payload);

    /// <returns>false when the link is gone.</returns>
    private bool DecodeFrames(Link link)
    {
        var tooLarge = link.Decoder.Feed(_plaintext.WrittenSpan, (this, link), OnFrame);
        if (tooLarge is { } size)
        {
            Fail(link, new LinkFailure(LinkFailureCause.FrameTooLarge, $"{link.Name} sent a frame of {size} bytes; max-frame-size is {_io.MaxFrameSize}"), sendCloseNotify: true);
            return false;
        }

        // Echoed frames were queued into _toSend while decoding.
        return link.State != LinkState.Up || Flush(link);
    }

    private void Deliver(Link link, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || link.State != LinkState.Up)
        {
            return; // a heartbeat: its arrival already counted as liveness
        }

        SwitchboardMetrics.MessagesReceived.Add(1);

        if (link.Echo)
        {
            Encrypt(link, payload);
            return;
        }

        link.Owner?.Tell(new Io.FrameReceived(link.Id, payload.ToArray()));
    }

    private void OnWrite(Io.WriteFrame command)
    {
        if (!_links.TryGetValue(command.LinkId, out var link) || link.State != LinkState.Up)
        {
            // The link went down before this write got here; the owner hears LinkDown and requeues.
            Sender.Tell(new Io.FrameNotWritten(command.LinkId, command.Payload, command.ReplyTo));
            return;
        }

        WithLink(link, l =>
        {
            _toSend.ResetWrittenCount();
            Encrypt(l, command.Payload.Span);
            if (Flush(l))
            {
                l.TrackUnsent(command.Payload, command.ReplyTo);
                SwitchboardMetrics.MessagesSent.Add(1);
                return;
            }

            // The link died taking this frame (reset, or a peer that stopped reading): the owner heard
            // LinkDown first, and now gets the frame back to send on the next link.
            Sender.Tell(new Io.FrameNotWritten(command.LinkId, command.Payload, command.ReplyTo));
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

    private void OnLivenessCheck(Link link)
    {
        if (link.State != LinkState.Up)
        {
            return;
        }

        var silent = Now - link.LastReceivedAt;
        if (silent > _connection.IdleTimeout)
        {
            Fail(link, new LinkFailure(LinkFailureCause.IdleTimeout, $"nothing received from {link.Name} for {silent.TotalSeconds:F0} s (idle-timeout {_connection.IdleTimeout.TotalSeconds:F0} s)"), sendCloseNotify: true);
            return;
        }

        if (!link.Silent && Now - link.LastSentAt >= _connection.HeartbeatInterval - LivenessPeriod())
        {
            _toSend.ResetWrittenCount();
            Encrypt(link, ReadOnlySpan<byte>.Empty);
            Flush(link);
        }
    }

    /// <summary>How often each link is checked: fine enough that idle-timeout and heartbeats are honoured within a third.</summary>
    private TimeSpan LivenessPeriod()
    {
        var third = TimeSpan.FromTicks(Math.Min(_connection.HeartbeatInterval.Ticks, _connection.IdleTimeout.Ticks) / 3);
        return third < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : third;
    }
}
