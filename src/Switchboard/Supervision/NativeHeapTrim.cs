using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;

namespace Switchboard.Supervision;

/// <summary>
/// Gives the native heap's free pages back to the system once a storm of handshakes is over. OpenSSL
/// allocates and frees tens of kilobytes per handshake through malloc, between the allocations of the
/// links that live on; glibc keeps the pages of those holes resident, and only its top of heap shrinks by
/// itself. After a storm that left every link up the holes are memory the daemon keeps for nothing
/// (architecture §5). The <see cref="AdmissionGate"/> drives it: every admitted attempt counts, and when the
/// gate has had nothing in flight and nothing queued for <see cref="QuietPeriod"/> after enough attempts,
/// <c>malloc_trim</c> runs once, on the thread pool. Any new grant in the quiet period calls it off.
/// Thread-safe: the gate calls it from whichever endpoint's thread releases a slot.
/// </summary>
internal sealed partial class NativeHeapTrim
{
    /// <summary>Long enough that a storm's last stragglers are in; short, so memory is back soon after.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>A handful of reconnects leaves little to give back; a trim walks the whole heap.</summary>
    public const int MinAttempts = 256;

    private readonly IScheduler _scheduler;
    private readonly Func<bool> _trim;
    private readonly Action<Action> _offThread;
    private readonly ILoggingAdapter? _log;
    private int _attempts;
    // Bumped by every grant and every quiet start: a scheduled trim runs only if it is still the latest.
    private long _generation;
    private int _unavailable;
    private int _trims;

    /// <param name="trim">What gives memory back (glibc's malloc_trim unless a spec says otherwise).</param>
    /// <param name="offThread">Where it runs: the thread pool, since a trim of a large heap takes tens of
    /// milliseconds and the scheduler's thread fires every timer of the system.</param>
    public NativeHeapTrim(IScheduler scheduler, ILoggingAdapter? log, Func<bool>? trim = null, Action<Action>? offThread = null)
    {
        _scheduler = scheduler;
        _log = log;
        _trim = trim ?? MallocTrim;
        _offThread = offThread ?? (work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false));
    }

    /// <summary>Trims done so far.</summary>
    public int Trims => Volatile.Read(ref _trims);

    /// <summary>The gate granted a slot: a storm is (still) on.</summary>
    public void AttemptStarted() => Interlocked.Increment(ref _generation);

    /// <summary>An admitted attempt ended; <paramref name="gateIdle"/>: nothing else in flight or queued.</summary>
    public void AttemptEnded(bool gateIdle)
    {
        var attempts = Interlocked.Increment(ref _attempts);
        if (!gateIdle || attempts < MinAttempts || Volatile.Read(ref _unavailable) != 0)
        {
            return;
        }

        var generation = Interlocked.Increment(ref _generation);
        _scheduler.Advanced.ScheduleOnce(QuietPeriod, () =>
        {
            if (Volatile.Read(ref _generation) == generation)
            {
                _offThread(() => Trim(generation));
            }
        });
    }

    private void Trim(long generation)
    {
        if (Volatile.Read(ref _generation) != generation)
        {
            return;
        }

        var attempts = Interlocked.Exchange(ref _attempts, 0);
        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        bool trimmed;
        try
        {
            trimmed = _trim();
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc: musl has no malloc_trim. Nothing to do then, now or later.
            Volatile.Write(ref _unavailable, 1);
            return;
        }

        Interlocked.Increment(ref _trims);
        _log?.Info("Native heap trimmed after {0} handshake attempts: resident memory {1:F1} -> {2:F1} MiB ({3:F0} ms){4}",
            attempts, before / 1048576.0, Environment.WorkingSet / 1048576.0, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            trimmed ? "" : ", nothing to give back");
    }

    private static bool MallocTrim() => MallocTrim(0) != 0;

    /// <returns>1 when memory was given back to the system, 0 when there was none to give.</returns>
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
