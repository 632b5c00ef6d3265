using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.IO.Delivery;

namespace Switchboard.Supervision;

/// <summary>
/// Sends: straight to the IO actor on a live link (one IO actor per link keeps them in order), otherwise
/// into a bounded queue. On an acknowledged link the <see cref="SendWindow"/> numbers each frame and keeps
/// it until the peer acknowledges it. Whatever cannot be delivered is answered with <see cref="SendFailed"/>.
/// </summary>
internal sealed partial class EndpointActor
{
    private TimeSpan ResumeDeadline => _context.Settings.Connection.IdleTimeout * 2;

    private bool CanWrite => _state == EndpointState.Connected && _window.CanWrite;

    private void OnSend(Send send)
    {
        if (CanWrite && _queue.Count == 0 && _returned.Count == 0)
        {
            Write(send.Payload, Sender);
            return;
        }

        var limit = _context.Settings.Connection.SendQueueSize;
        if (_queue.Count >= limit)
        {
            Reject(send.Payload, Sender, $"send queue of {_endpoint.Name} is full ({limit} frames) while it is {_state.ToString().ToLowerInvariant()}" + LastErrorSuffix());
            return;
        }

        _queue.AddLast((send.Payload, Sender, _sendTicks));
        if (_queue.Count == 1 && _context.Settings.Connection.SendTimeout is { } timeout)
        {
            Timers.StartPeriodicTimer(SendDeadlineTimer, new SendDeadline(), timeout / SendDeadlineTicks);
        }
    }

    /// <summary>Hands a frame to the live link, numbered and kept until acknowledged on an acknowledged link.</summary>
    private void Write(ReadOnlyMemory<byte> payload, IActorRef replyTo) =>
        _io!.Tell(new Io.WriteFrame(_linkId, payload, replyTo, _window.Number(payload, replyTo)));

    /// <summary>A link is up: acknowledged links resume first; plain ones take whatever is unacknowledged, as is.</summary>
    private void StartSending(Io.LinkUp up)
    {
        var resend = _window.LinkUp(up.Handshake.Acknowledged);
        if (_window.Resuming)
        {
            // The Resume went out with the handshake, from the position given with OpenLink: the window cannot
            // move while no link is up (frames are numbered and acknowledged only on a live one). A peer that
            // never answers must not hold the queue forever. A silent one is the IO actor's to cut (idle-timeout);
            // this only catches one that heartbeats but never acknowledges.
            Timers.StartSingleTimer(ResumeTimer, new ResumeOverdue(_linkId), ResumeDeadline);
            return;
        }

        // The peer no longer speaks the acknowledged framing (an agent downgraded): nothing can tell what it
        // delivered, so the unacknowledged frames go out again, as plain frames, before anything newer.
        Resend(resend);
        DrainQueue();
    }

    private void OnAcked(Io.Acked acked)
    {
        var wasResuming = _window.Resuming;
        switch (_window.Ack(acked.Delivered, out var resend))
        {
            case SendWindow.AckOutcome.BeyondSent:
                _log.Warning("{0} acknowledged frame {1}, but only {2} were sent in this epoch; ignored", _endpoint.Name, acked.Delivered, _window.LastSent);
                return;
            case SendWindow.AckOutcome.BelowAcknowledged:
                DropLink(new LinkFailure(LinkFailureCause.Protocol, $"{_endpoint.Name} acknowledged {acked.Delivered} on resume, below {_window.FirstUnacknowledged - 1}"));
                return;
        }

        if (wasResuming)
        {
            Timers.Cancel(ResumeTimer);
        }

        Resend(resend);
        DrainQueue();
    }

    private void Resend(IReadOnlyList<SendWindow.Frame> frames)
    {
        foreach (var frame in frames)
        {
            SwitchboardMetrics.MessagesResent.Add(1);
            _io!.Tell(new Io.WriteFrame(_linkId, frame.Payload, frame.ReplyTo, frame.Seq));
        }
    }

    private void OnResumeOverdue(ResumeOverdue overdue)
    {
        if (_window.Resuming)
        {
            DropLink(new LinkFailure(LinkFailureCause.Protocol, $"{_endpoint.Name} did not acknowledge Resume within {ResumeDeadline.TotalSeconds:0.###} s (twice idle-timeout)"));
        }
    }

    private void DropLink(LinkFailure failure)
    {
        _io?.Tell(new Io.AbortLink(_linkId, failure));
        LinkLost(failure);
    }

    /// <summary>The link is gone: the window stays for the next one.</summary>
    private void StopSending()
    {
        Timers.Cancel(ResumeTimer);
        _window.LinkDown();
    }

    /// <summary>
    /// Fails the queued messages older than send-timeout, oldest first (the queue is in Send order). Never
    /// the window or returned frames: those went to a link and may have arrived.
    /// </summary>
    private void OnSendDeadline()
    {
        _sendTicks++;
        if (_context.Settings.Connection.SendTimeout is not { } timeout)
        {
            return;
        }

        // More than SendDeadlineTicks ticks: queued mid-interval, a message must see a whole send-timeout.
        while (_queue.First is { } first && _sendTicks - first.Value.QueuedTick > SendDeadlineTicks)
        {
            _queue.RemoveFirst();
            Reject(first.Value.Payload, first.Value.ReplyTo,
                $"not sent within send-timeout ({timeout.TotalSeconds:0.###} s): {_endpoint.Name} is {_state.ToString().ToLowerInvariant()}" +
                (_window.Resuming ? ", its peer has not acknowledged the resume" : string.Empty) + LastErrorSuffix());
        }

        if (_queue.Count == 0)
        {
            Timers.Cancel(SendDeadlineTimer);
        }
    }

    /// <summary>A write that met a link already gone goes back to the front, in order, for the next link.</summary>
    private void OnFrameNotWritten(Io.FrameNotWritten notWritten)
    {
        if (notWritten.Seq > 0)
        {
            return; // numbered: still in the window, resent from where the peer reports delivery
        }

        IActorRef replyTo = notWritten.ReplyTo ?? ActorRefs.Nobody;
        if (CanWrite && notWritten.LinkId != _linkId)
        {
            // Already reconnected: this frame predates the new link and goes first.
            Write(notWritten.Payload, replyTo);
            return;
        }

        _returned.Add((notWritten.Payload, replyTo));
    }

    /// <summary>Frames returned by the IO actor, then the queue, as far as the link takes them now.</summary>
    private void DrainQueue()
    {
        while (_returned.Count > 0 && CanWrite)
        {
            var (payload, replyTo) = _returned[0];
            _returned.RemoveAt(0);
            Write(payload, replyTo);
        }

        while (_queue.First is { } first && _returned.Count == 0 && CanWrite)
        {
            _queue.RemoveFirst();
            Write(first.Value.Payload, first.Value.ReplyTo);
        }

        if (_queue.Count == 0)
        {
            Timers.Cancel(SendDeadlineTimer);
        }
    }

    private void OnRetire(Retire retire)
    {
        if (_state == EndpointState.Connected)
        {
            _io?.Tell(new Io.CloseLink(_linkId, retire.Reason));
        }
        else if (_io is not null)
        {
            _io.Tell(new Io.AbortLink(_linkId, new LinkFailure(LinkFailureCause.Closed, retire.Reason)));
        }

        FailAllPending($"endpoint {_endpoint.Name} {retire.Reason}");
        if (retire.ForgetSessions && _resumptionKey is { } key)
        {
            // From this actor, so it reaches the cache after every open request this endpoint made.
            _context.Cache?.Tell(new ResumptionCacheActor.ForgetEndpoint(_endpoint.Name, key));
        }

        Context.Stop(Self);
    }

    /// <summary>Every message not yet delivered, oldest first: the window, frames returned by the IO actor, the queue.</summary>
    private void FailAllPending(string reason)
    {
        foreach (var frame in _window.TakeAll())
        {
            Reject(frame.Payload, frame.ReplyTo, $"{reason} before {_endpoint.Name} acknowledged it");
        }

        foreach (var (payload, replyTo) in _returned.Concat(_queue.Select(q => (q.Payload, q.ReplyTo))))
        {
            Reject(payload, replyTo, reason);
        }

        _returned.Clear();
        _queue.Clear();
    }

    private void Reject(ReadOnlyMemory<byte> payload, IActorRef replyTo, string reason)
    {
        SwitchboardMetrics.MessagesFailed.Add(1);
        if (!replyTo.IsNobody())
        {
            replyTo.Tell(new SendFailed(_endpoint.Name, payload, reason));
        }
    }

    private string LastErrorSuffix() => _lastError is null ? string.Empty : $"; last error: {_lastError}";
}
