namespace Switchboard.IO.Delivery;

/// <summary>
/// The receiver's side of acknowledgements: per (peer certificate identity, sender epoch), the last data
/// frame delivered. One per listener, shared by every IO actor. Bounded: beyond <see cref="Capacity"/>
/// records the least recently resumed one is forgotten (each endpoint incarnation has its own epoch, so
/// stale records only pile up when senders restart). A forgotten sender that resumes is believed about
/// what it last had acknowledged, so its resent frames are delivered again: at least once, never lost.
/// </summary>
internal sealed class DeliveryRegistry(int capacity = DeliveryRegistry.DefaultCapacity)
{
    public const int DefaultCapacity = 65_536;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Peer, ulong Epoch), LinkedListNode<(string Peer, ulong Epoch, DeliveryRecord Record)>> _records = [];
    private readonly LinkedList<(string Peer, ulong Epoch, DeliveryRecord Record)> _recency = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>The record of a sender incarnation, created on its first Resume; marks it most recently used.</summary>
    public DeliveryRecord For(string peer, ulong epoch)
    {
        lock (_lock)
        {
            if (_records.TryGetValue((peer, epoch), out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Record;
            }

            if (_records.Count >= Capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _records.Remove((oldest.Value.Peer, oldest.Value.Epoch));
            }

            var record = new DeliveryRecord(0);
            _records[(peer, epoch)] = _recency.AddFirst((peer, epoch, record));
            return record;
        }
    }
}
