using System.Collections.Immutable;

namespace Switchboard.Supervision;

/// <summary>
/// Where the endpoints publish their status for GetStatus: one slot per endpoint in dense pages, and running
/// totals per state and of handshakes. An endpoint actor writes its own slot at each transition, so a storm's
/// thousands of transitions cost the supervisor no messages and a GetStatus never queues behind them; the
/// query copies the pages' references and reads the totals, without touching a record. (Reading each
/// endpoint's record through its table entry cost a query some 0.7 ms at 5,000 endpoints, a cache miss or
/// more per endpoint; what a query costs now is mostly its report's own array, in fresh memory each time.)
/// The supervisor alone joins, leaves and reads; a page never moves once made, so a cell keeps its own.
/// </summary>
internal sealed class StatusBoard
{
    private const int PageShift = 10;
    private const int PageSize = 1 << PageShift;

    private readonly List<EndpointStatus?[]> _pages = [];
    // Slots of endpoints that left, handed out again before the board grows.
    private readonly Stack<int> _free = new();
    private int _highWater;

    public StatusTotals Totals { get; } = new();

    /// <summary>Gives a new endpoint a slot, showing <paramref name="initial"/> until its actor writes.</summary>
    public StatusCell Join(EndpointStatus initial)
    {
        var slot = _free.TryPop(out var reused) ? reused : _highWater++;
        if (slot >> PageShift == _pages.Count)
        {
            _pages.Add(new EndpointStatus?[PageSize]);
        }

        return new StatusCell(initial, Totals, _pages[slot >> PageShift], slot);
    }

    /// <summary>Takes an endpoint off the board for good; its actor may go on writing to its cell, unseen.</summary>
    public void Leave(StatusCell cell)
    {
        if (cell.TakeOffBoard())
        {
            _free.Push(cell.Slot);
        }
    }

    /// <summary>Every endpoint's latest record, in slot order.</summary>
    public ImmutableArray<EndpointStatus> Records()
    {
        var records = ImmutableArray.CreateBuilder<EndpointStatus>(_highWater - _free.Count);
        var remaining = _highWater;
        foreach (var page in _pages)
        {
            var used = Math.Min(remaining, PageSize);
            remaining -= used;
            for (var i = 0; i < used; i++)
            {
                if (Volatile.Read(ref page[i]) is { } status)
                {
                    records.Add(status);
                }
            }
        }

        // A left slot is cleared before it is freed, so every slot not free holds a record.
        return records.Count == records.Capacity ? records.MoveToImmutable() : records.ToImmutable();
    }
}

/// <summary>
/// One endpoint's status: the endpoint actor is its only writer and replaces the whole immutable record at
/// each transition. While on the board, each write lands in the endpoint's slot and moves the totals by the
/// difference.
/// </summary>
internal sealed class StatusCell
{
    // Only against the supervisor's one TakeOffBoard: the endpoint actor is the only writer otherwise.
    private readonly Lock _lock = new();
    private readonly StatusTotals _totals;
    private readonly EndpointStatus?[] _page;
    private EndpointStatus _status;
    private bool _onBoard = true;

    internal StatusCell(EndpointStatus initial, StatusTotals totals, EndpointStatus?[] page, int slot)
    {
        _status = initial;
        _totals = totals;
        _page = page;
        Slot = slot;
        page[Index] = initial;
        totals.Add(initial, 1);
    }

    public int Slot { get; }

    private int Index => Slot & (_page.Length - 1);

    public EndpointStatus Status
    {
        get => Volatile.Read(ref _status);
        set
        {
            lock (_lock)
            {
                var old = _status;
                Volatile.Write(ref _status, value);
                if (_onBoard)
                {
                    Volatile.Write(ref _page[Index], value);
                    _totals.Move(old, value);
                }
            }
        }
    }

    internal bool TakeOffBoard()
    {
        lock (_lock)
        {
            if (!_onBoard)
            {
                return false;
            }

            _onBoard = false;
            Volatile.Write(ref _page[Index], null);
            _totals.Add(_status, -1);
            return true;
        }
    }
}

/// <summary>
/// Endpoints per state and their handshakes, summed over the endpoints on the board. Each figure is exact once
/// the endpoints are quiet; during a storm a reading may fall inside one endpoint's move (counted in both
/// states for an instant) or differ from the records read in the same query by the transitions in between.
/// </summary>
internal sealed class StatusTotals
{
    private static readonly int StateCount = Enum.GetValues<EndpointState>().Length;

    private readonly int[] _byState = new int[StateCount];
    private long _full, _resumed, _failed;

    public void Add(EndpointStatus status, int sign)
    {
        Interlocked.Add(ref _byState[(int)status.State], sign);
        Bump(ref _full, sign * status.FullHandshakes);
        Bump(ref _resumed, sign * status.ResumedHandshakes);
        Bump(ref _failed, sign * status.FailedHandshakes);
    }

    public void Move(EndpointStatus from, EndpointStatus to)
    {
        // The increment first: a count may show an endpoint in two states for an instant, never below zero.
        if (from.State != to.State)
        {
            Interlocked.Increment(ref _byState[(int)to.State]);
            Interlocked.Decrement(ref _byState[(int)from.State]);
        }

        Bump(ref _full, to.FullHandshakes - from.FullHandshakes);
        Bump(ref _resumed, to.ResumedHandshakes - from.ResumedHandshakes);
        Bump(ref _failed, to.FailedHandshakes - from.FailedHandshakes);
    }

    public ImmutableDictionary<EndpointState, int> ByState()
    {
        var byState = ImmutableDictionary.CreateBuilder<EndpointState, int>();
        for (var i = 0; i < _byState.Length; i++)
        {
            if (Volatile.Read(ref _byState[i]) is var count and not 0)
            {
                byState[(EndpointState)i] = count;
            }
        }

        return byState.ToImmutable();
    }

    public long FullHandshakes => Interlocked.Read(ref _full);

    public long ResumedHandshakes => Interlocked.Read(ref _resumed);

    public long FailedHandshakes => Interlocked.Read(ref _failed);

    private static void Bump(ref long total, long by)
    {
        if (by != 0)
        {
            Interlocked.Add(ref total, by);
        }
    }
}
