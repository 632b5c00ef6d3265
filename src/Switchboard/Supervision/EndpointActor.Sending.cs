using Akka.Actor;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>
/// Sends: straight to the IO actor on a live link (one IO actor per link keeps them in order), otherwise
/// into a bounded queue. Whatever cannot be delivered is answered with <see cref="SendFailed"/>.
/// </summary>
internal sealed partial class EndpointActor
{
    private readonly LinkedList<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo, long QueuedTick)> _queue = new();

    private const string SendDeadlineTimer = "send-deadline";

    /// <summary>Ticks per send-timeout: a message expires after more than send-timeout, at most a quarter more.</summary>
    private const int SendDeadlineTicks = 4;

    // Counted by a timer that runs while the queue holds anything: no clock to read, so it runs on virtual time in tests.
    private long _sendTicks;

    /// <summary>A quarter of send-timeout has passed.</summary>
    private sealed record SendDeadline;

    private void OnSend(Send send)
    {
        if (CanWrite && _queue.Count == 0 && _returned.Count == 0)
        {
            Write(send.Payload, Sender);
            return;
        }

        if (_queue.Count >= _context.Settings.Connection.SendQueueSize)
        {
            Reject(send.Payload, Sender, $"send queue of {_endpoint.Name} is full ({_context.Settings.Connection.SendQueueSize} frames) while it is {_state.ToString().ToLowerInvariant()}" + (_lastError is null ? string.Empty : $"; last error: {_lastError}"));
            return;
        }

        _queue.AddLast((send.Payload, Sender, _sendTicks));
        if (_queue.Count == 1 && _context.Settings.Connection.SendTimeout is { } timeout)
        {
            Timers.StartPeriodicTimer(SendDeadlineTimer, new SendDeadline(), timeout / SendDeadlineTicks);
        }
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
                (_resuming ? ", its peer has not acknowledged the resume" : string.Empty) +
                (_lastError is null ? string.Empty : $"; last error: {_lastError}"));
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

    private readonly List<(ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _returned = [];

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
        Context.Stop(Self);
    }

    private void Reject(ReadOnlyMemory<byte> payload, IActorRef replyTo, string reason)
    {
        SwitchboardMetrics.MessagesFailed.Add(1);
        if (!replyTo.IsNobody())
        {
            replyTo.Tell(new SendFailed(_endpoint.Name, payload, reason));
        }
    }
}
