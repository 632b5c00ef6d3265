using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Switchboard.Tests.Support;

/// <summary>
/// Akka's own timer wheel, wrapped to say which thread scheduled the first timer after <see cref="Arm"/>:
/// the wheel starts on that call, and the caller blocks until a thread-pool task has started it.
/// Installed with <c>akka.scheduler.implementation</c> (see <see cref="Config"/>).
/// </summary>
internal sealed class FirstTimerScheduler(Config config, ILoggingAdapter log) : SchedulerBase(config, log), IDisposable
{
    private readonly HashedWheelTimerScheduler _wheel = new(config, log);
    private volatile bool _armed;
    private int _firstThread;
    private int _calls;

    /// <summary>The HOCON that makes an actor system use this scheduler.</summary>
    public static string Config => $"akka.scheduler.implementation = \"{typeof(FirstTimerScheduler).AssemblyQualifiedName}\"";

    /// <summary>The managed thread id of the first scheduling call after <see cref="Arm"/>; 0 while there was none.</summary>
    public int FirstThread => Volatile.Read(ref _firstThread);

    /// <summary>Scheduling calls since <see cref="Arm"/>.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public override TimeSpan MonotonicClock => _wheel.MonotonicClock;

    public override TimeSpan HighResMonotonicClock => _wheel.HighResMonotonicClock;

    protected override DateTimeOffset TimeNow => ((IScheduler)_wheel).Now;

    public void Arm() => _armed = true;

    public void Dispose() => _wheel.Dispose();

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        Record();
        ((ITellScheduler)_wheel).ScheduleTellOnce(delay, receiver, message, sender, cancelable);
    }

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        Record();
        ((ITellScheduler)_wheel).ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
    }

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable)
    {
        Record();
        ((IActionScheduler)_wheel).ScheduleOnce(delay, action, cancelable);
    }

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        InternalScheduleOnce(delay, action.Run, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable)
    {
        Record();
        ((IActionScheduler)_wheel).ScheduleRepeatedly(initialDelay, interval, action, cancelable);
    }

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        InternalScheduleRepeatedly(initialDelay, interval, action.Run, cancelable);

    private void Record()
    {
        if (_armed)
        {
            Interlocked.CompareExchange(ref _firstThread, Environment.CurrentManagedThreadId, 0);
            Interlocked.Increment(ref _calls);
        }
    }
}
