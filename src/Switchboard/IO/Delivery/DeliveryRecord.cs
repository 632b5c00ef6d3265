namespace Switchboard.IO.Delivery;

/// <summary>
/// The last sequence number delivered from one sender incarnation. Links of that sender (an old one still
/// draining and its replacement) may run on different IO actors; each checks and delivers under this
/// record's lock, so a frame is handed on at most once and frames reach the application in order.
/// </summary>
internal sealed class DeliveryRecord(long delivered)
{
    private readonly Lock _lock = new();
    private long _delivered = delivered;

    public long Delivered
    {
        get
        {
            lock (_lock)
            {
                return _delivered;
            }
        }
    }

    /// <summary>A Resume: every frame before <paramref name="nextSeq"/> was acknowledged, so delivered.</summary>
    /// <returns>The sequence number to acknowledge: the sender resends from the one after it.</returns>
    public long Resume(long nextSeq)
    {
        lock (_lock)
        {
            _delivered = Math.Max(_delivered, nextSeq - 1);
            return _delivered;
        }
    }

    /// <summary>
    /// Held while one frame is checked and handed on: a second link of the same sender must not hand on
    /// the next frame before this one.
    /// </summary>
    public Lock.Scope EnterScope() => _lock.EnterScope();

    /// <summary>Under <see cref="EnterScope"/>: true when frame <paramref name="seq"/> was not delivered yet.</summary>
    public bool IsNew(long seq) => seq > _delivered;

    /// <summary>Under <see cref="EnterScope"/>, after handing frame <paramref name="seq"/> on.</summary>
    public void MarkDelivered(long seq) => _delivered = seq;
}
