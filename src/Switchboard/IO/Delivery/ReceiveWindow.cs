using Switchboard.Diagnostics;

namespace Switchboard.IO.Delivery;

/// <summary>
/// The receiver's side of acknowledged delivery, for one inbound link. The sender's first frame is its
/// Resume (epoch and first sequence number it may send); from then on data frames carry their sequence
/// numbers implicitly, by order. Each is handed on unless the sender's <see cref="DeliveryRecord"/> says it
/// was already delivered (a copy resent after a reconnect), and an Ack of the last one delivered is due
/// after every batch of frames and with every heartbeat. No actor, no I/O: the IO actor drives it.
/// </summary>
internal sealed class ReceiveWindow(DeliveryRegistry? registry)
{
    private DeliveryRecord? _record;
    private long _nextSeq;
    private bool _ackDue;

    /// <summary>What the peer broke in the protocol, if anything; the link must then be failed.</summary>
    public string? Violation { get; private set; }

    /// <summary>A control frame's body arrived on this link.</summary>
    /// <param name="peer">The sender's verified certificate identity: records are per identity and epoch.</param>
    public void OnControl(ReadOnlySpan<byte> body, string peer)
    {
        if (Violation is not null)
        {
            return;
        }

        if (!ControlFrame.TryParse(body, out var frame, out var known))
        {
            if (known)
            {
                Violation = $"sent a malformed control frame ({body.Length} bytes, type {body[0]})";
            }

            return; // an unknown type: a later version's, which this one may ignore
        }

        if (frame.Type != ControlFrameType.Resume || _record is not null)
        {
            Violation = $"sent an unexpected {frame.Type} control frame";
            return;
        }

        if (frame.Seq < 1)
        {
            Violation = $"resumed at sequence number {frame.Seq}; they start at 1";
            return;
        }

        // Without a registry (a link accepted outside a listener) every sender is new to us.
        _record = registry?.For(peer, frame.Epoch) ?? new DeliveryRecord(0);
        _nextSeq = _record.Resume(frame.Seq) + 1;
        _ackDue = true; // the sender waits for this Ack before it resends anything
    }

    /// <summary>
    /// A data frame: handed to <paramref name="handOn"/> unless it is a copy already delivered. Under the
    /// sender's record lock, so another link of the same sender cannot hand on the next frame first.
    /// </summary>
    public void OnData<TState>(ReadOnlySpan<byte> payload, TState state, FrameHandler<TState> handOn)
    {
        if (Violation is not null)
        {
            return;
        }

        if (_record is not { } record)
        {
            Violation = "sent a data frame before Resume";
            return;
        }

        var seq = _nextSeq++;
        _ackDue = true;
        using (record.EnterScope())
        {
            if (!record.IsNew(seq))
            {
                SwitchboardMetrics.DuplicatesDropped.Add(1);
                return;
            }

            handOn(state, payload);
            record.MarkDelivered(seq);
        }
    }

    /// <summary>A heartbeat is going out: it repeats the Ack, so one lost with a link is never missed for long.</summary>
    public void HeartbeatDue() => _ackDue |= _record is not null;

    /// <summary>The Ack to send now, if one is due; at most one per batch of frames.</summary>
    public ControlFrame? TakeAck()
    {
        if (!_ackDue || _record is not { } record)
        {
            return null;
        }

        _ackDue = false;
        return ControlFrame.Ack(record.Delivered);
    }
}
