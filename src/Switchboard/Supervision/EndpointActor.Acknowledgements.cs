using System.Buffers.Binary;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>
/// The sender's side of acknowledgements. On an acknowledged link every non-empty frame gets the next
/// sequence number of this incarnation (<see cref="_epoch"/>) and stays in <see cref="_window"/> until the
/// peer reports it delivered. A new link first sends Resume and waits for the peer's Ack; then it resends
/// what the peer did not deliver, in order, and only then the queue. The window holds at most
/// send-queue-size frames; while it is full, new sends wait in the send queue. What is still unacknowledged
/// when the endpoint stops is answered with SendFailed, once.
/// </summary>
internal sealed partial class EndpointActor
{
    // Random per incarnation: a restarted endpoint actor starts a new sequence the peer cannot mistake for the old.
    private readonly ulong _epoch = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    private readonly LinkedList<(long Seq, ReadOnlyMemory<byte> Payload, IActorRef ReplyTo)> _window = new();
    private long _nextSeq = 1;

    /// <summary>The current link negotiated the acknowledged framing.</summary>
    private bool _acknowledged;

    /// <summary>Resume sent on the current link, its Ack not yet in: nothing may be written.</summary>
    private bool _resuming;

    private const string ResumeTimer = "resume";

    private TimeSpan ResumeDeadline => _context.Settings.Connection.IdleTimeout * 2;

    /// <summary>The peer did not answer Resume within twice idle-timeout: the link is useless for sending.</summary>
    private sealed record ResumeOverdue(long LinkId);

    private bool CanWrite => _state == EndpointState.Connected && !_resuming && (!_acknowledged || _window.Count < _context.Settings.Connection.SendQueueSize);

    /// <summary>Hands a frame to the live link, numbered and kept until acknowledged on an acknowledged link.</summary>
    private void Write(ReadOnlyMemory<byte> payload, IActorRef replyTo)
    {
        // An empty frame is a heartbeat on the wire, never delivered and never counted by the peer: not numbered.
        if (!_acknowledged || payload.IsEmpty)
        {
            _io!.Tell(new Io.WriteFrame(_linkId, payload, replyTo));
            return;
        }

        var seq = _nextSeq++;
        _window.AddLast((seq, payload, replyTo));
        _io!.Tell(new Io.WriteFrame(_linkId, payload, replyTo, seq));
    }

    /// <summary>A link is up: acknowledged links resume first; plain ones take whatever is unacknowledged, as is.</summary>
    private void StartSending(Io.LinkUp up)
    {
        _acknowledged = up.Handshake.Acknowledged;
        if (_acknowledged)
        {
            _resuming = true;
            _io!.Tell(new Io.SendResume(_linkId, _epoch, _window.First?.Value.Seq ?? _nextSeq));
            // A peer that never answers must not hold the queue forever. A silent one is the IO actor's to cut
            // (idle-timeout, checked every third of it at most): this only catches one that heartbeats but never acks.
            Timers.StartSingleTimer(ResumeTimer, new ResumeOverdue(_linkId), ResumeDeadline);
            return;
        }

        // The peer no longer speaks the acknowledged framing (an agent downgraded): nothing can tell what it
        // delivered, so the unacknowledged frames go out again, as plain frames, before anything newer.
        while (_window.First is { } first)
        {
            _window.RemoveFirst();
            SwitchboardMetrics.MessagesResent.Add(1);
            _io!.Tell(new Io.WriteFrame(_linkId, first.Value.Payload, first.Value.ReplyTo));
        }

        DrainQueue();
    }

    private void OnAcked(Io.Acked acked)
    {
        if (acked.Delivered >= _nextSeq)
        {
            _log.Warning("{0} acknowledged frame {1}, but only {2} were sent in this epoch; ignored", _endpoint.Name, acked.Delivered, _nextSeq - 1);
            return;
        }

        var oldest = _window.First?.Value.Seq ?? _nextSeq;
        if (_resuming && acked.Delivered < oldest - 1)
        {
            // The peer would count our next frame as Delivered + 1, but we no longer hold that one: resending
            // from here would shift every number and make it drop frames as copies. Start over on a new link.
            var failure = new LinkFailure(LinkFailureCause.Protocol, $"{_endpoint.Name} acknowledged {acked.Delivered} on resume, below {oldest - 1}");
            _io?.Tell(new Io.AbortLink(_linkId, failure));
            LinkLost(failure);
            return;
        }

        while (_window.First is { } first && first.Value.Seq <= acked.Delivered)
        {
            _window.RemoveFirst();
        }

        if (_resuming)
        {
            Timers.Cancel(ResumeTimer);
            // The peer counts the frames of this link from the one after its Ack: resend exactly those, in order.
            _resuming = false;
            foreach (var (seq, payload, replyTo) in _window)
            {
                SwitchboardMetrics.MessagesResent.Add(1);
                _io!.Tell(new Io.WriteFrame(_linkId, payload, replyTo, seq));
            }
        }

        DrainQueue();
    }

    private void OnResumeOverdue(ResumeOverdue overdue)
    {
        if (!_resuming)
        {
            return;
        }

        var failure = new LinkFailure(LinkFailureCause.Protocol, $"{_endpoint.Name} did not acknowledge Resume within {ResumeDeadline.TotalSeconds:0.###} s (twice idle-timeout)");
        _io?.Tell(new Io.AbortLink(_linkId, failure));
        LinkLost(failure);
    }

    /// <summary>The link is gone: the window stays for the next one.</summary>
    private void StopSending()
    {
        Timers.Cancel(ResumeTimer);
        _acknowledged = false;
        _resuming = false;
    }

    /// <summary>Every message not yet delivered, oldest first: the window, frames returned by the IO actor, the queue.</summary>
    private void FailAllPending(string reason)
    {
        foreach (var (_, payload, replyTo) in _window)
        {
            Reject(payload, replyTo, $"{reason} before {_endpoint.Name} acknowledged it");
        }

        foreach (var (payload, replyTo) in _returned.Concat(_queue.Select(q => (q.Payload, q.ReplyTo))))
        {
            Reject(payload, replyTo, reason);
        }

        _window.Clear();
        _returned.Clear();
        _queue.Clear();
    }
}
