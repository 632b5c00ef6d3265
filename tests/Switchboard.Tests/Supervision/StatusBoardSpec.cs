using Switchboard.Supervision;

namespace Switchboard.Tests.Supervision;

/// <summary>What a GetStatus reads: every endpoint's latest record and the totals, kept as endpoints change, join and leave.</summary>
public sealed class StatusBoardSpec
{
    private static EndpointStatus Status(string name, EndpointState state, long full = 0, long resumed = 0, long failed = 0) =>
        new(name, "127.0.0.1", 5665, state, 0, null, null, full, resumed, failed, null, null);

    private static (long Full, long Resumed, long Failed) Handshakes(StatusTotals totals) =>
        (totals.FullHandshakes, totals.ResumedHandshakes, totals.FailedHandshakes);

    [Fact]
    public void A_new_endpoint_shows_its_initial_record_and_counts_as_queued()
    {
        var board = new StatusBoard();
        var totals = board.Totals;
        _ = board.Join(Status("a", EndpointState.Queued));
        _ = board.Join(Status("b", EndpointState.Queued));

        Assert.Equal(["a", "b"], board.Records().Select(r => r.Name));
        Assert.Equal(new Dictionary<EndpointState, int> { [EndpointState.Queued] = 2 }, totals.ByState());
        Assert.Equal((0L, 0L, 0L), Handshakes(totals));
    }

    [Fact]
    public void Each_transition_replaces_the_record_and_moves_the_counts_by_its_difference()
    {
        var board = new StatusBoard();
        var totals = board.Totals;
        var a = board.Join(Status("a", EndpointState.Queued));
        var b = board.Join(Status("b", EndpointState.Queued));

        a.Status = Status("a", EndpointState.Handshaking);
        a.Status = Status("a", EndpointState.Connected, full: 1);
        b.Status = Status("b", EndpointState.Backoff, failed: 1);
        b.Status = Status("b", EndpointState.Connected, resumed: 1, failed: 1);
        a.Status = Status("a", EndpointState.Connected, full: 1, resumed: 1);

        Assert.Equal(new[] { a.Status, b.Status }, board.Records().ToArray());
        Assert.Equal(new Dictionary<EndpointState, int> { [EndpointState.Connected] = 2 }, totals.ByState());
        Assert.Equal((1L, 2L, 1L), Handshakes(totals));
    }

    [Fact]
    public void An_endpoint_that_leaves_takes_its_record_and_counts_along_and_its_later_writes_stay_unseen()
    {
        var board = new StatusBoard();
        var totals = board.Totals;
        var kept = board.Join(Status("kept", EndpointState.Connected, full: 1));
        var gone = board.Join(Status("gone", EndpointState.Connected, full: 2, resumed: 3, failed: 4));

        board.Leave(gone);
        gone.Status = Status("gone", EndpointState.Backoff, full: 2, resumed: 3, failed: 5);
        board.Leave(gone);

        Assert.Equal(new[] { kept.Status }, board.Records().ToArray());
        Assert.Equal(new Dictionary<EndpointState, int> { [EndpointState.Connected] = 1 }, totals.ByState());
        Assert.Equal((1L, 0L, 0L), Handshakes(totals));
        Assert.Equal(EndpointState.Backoff, gone.Status.State);

        // The slot it left serves the next endpoint; the one that left still writes, unseen.
        var next = board.Join(Status("next", EndpointState.Queued));
        gone.Status = Status("gone", EndpointState.Connected, full: 3, resumed: 3, failed: 5);
        Assert.Equal(gone.Slot, next.Slot);
        Assert.Equal(new[] { kept.Status, next.Status }, board.Records().OrderBy(r => r.Name, StringComparer.Ordinal).ToArray());
        Assert.Equal(new Dictionary<EndpointState, int> { [EndpointState.Connected] = 1, [EndpointState.Queued] = 1 }, totals.ByState());
    }

    [Fact]
    public async Task Records_and_totals_equal_the_endpoints_on_the_board_after_concurrent_writers_and_leaves()
    {
        const int Writers = 4, CellsPerWriter = 50, Transitions = 2_000;
        var board = new StatusBoard();
        var totals = board.Totals;
        var cells = new StatusCell[Writers * CellsPerWriter];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = board.Join(Status($"e{i}", EndpointState.Queued));
        }

        var states = Enum.GetValues<EndpointState>();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            var handshakes = new long[CellsPerWriter];
            for (var t = 0; t < Transitions; t++)
            {
                var own = random.Next(CellsPerWriter);
                var kind = random.Next(3);
                handshakes[own]++;
                cells[w * CellsPerWriter + own].Status = Status($"e{w * CellsPerWriter + own}", states[random.Next(states.Length)],
                    full: kind == 0 ? handshakes[own] : 0, resumed: kind == 1 ? handshakes[own] : 0, failed: kind == 2 ? 1 : 0);
            }
        }));
        // The supervisor's removals, racing the writers: every third endpoint leaves the board.
        var removals = Task.Run(() =>
        {
            for (var i = 0; i < cells.Length; i += 3)
            {
                board.Leave(cells[i]);
            }
        });
        await Task.WhenAll(writers.Append(removals)).WaitAsync(TimeSpan.FromSeconds(30));

        var counted = cells.Where((_, i) => i % 3 != 0).Select(c => c.Status).ToList();
        Assert.Equal(counted.ToHashSet(ReferenceEqualityComparer.Instance), board.Records().ToHashSet(ReferenceEqualityComparer.Instance));
        var expected = counted.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected, totals.ByState());
        Assert.Equal(counted.Sum(s => s.FullHandshakes), totals.FullHandshakes);
        Assert.Equal(counted.Sum(s => s.ResumedHandshakes), totals.ResumedHandshakes);
        Assert.Equal(counted.Sum(s => s.FailedHandshakes), totals.FailedHandshakes);
    }
}
