using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Switchboard.Supervision;

/// <summary>
/// The endpoint actors' mailbox: a locked queue that starts empty and gives back its array when drained,
/// instead of Akka's default, which holds about 1 KiB per actor for its whole life (architecture §5).
/// Producers are few and short (the IO actor, timers, the supervisor), so the lock is rarely contended.
/// </summary>
internal sealed class EndpointMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<EndpointMailbox.MessageQueue>
{
    /// <summary>
    /// Where the mailbox is configured; added to the system's config at start when missing. Outside <c>switchboard</c>,
    /// whose keys the settings loader checks against reference.conf: it is not a setting.
    /// </summary>
    public const string Id = "switchboard-endpoint-mailbox";

    /// <summary>Makes <see cref="Id"/> resolvable in <paramref name="system"/>, which may have been built without Switchboard's config.</summary>
    public static void Register(ActorSystem system)
    {
        if (!system.Settings.Config.HasPath($"{Id}.mailbox-type"))
        {
            system.Settings.InjectTopLevelFallback(ConfigurationFactory.ParseString(
                $"{Id}.mailbox-type = \"{typeof(EndpointMailbox).AssemblyQualifiedName}\""));
        }
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new MessageQueue();

    internal sealed class MessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
    {
        /// <summary>A drained queue whose array grew past this gives the array back.</summary>
        internal const int KeptCapacity = 8;

        private readonly Queue<Envelope> _envelopes = new();
        private volatile int _count;

        public bool HasMessages => _count > 0;

        public int Count => _count;

        /// <summary>Slots the queue holds right now (tests read it).</summary>
        internal int Capacity
        {
            get
            {
                lock (_envelopes)
                {
                    return _envelopes.EnsureCapacity(0);
                }
            }
        }

        public void Enqueue(IActorRef receiver, Envelope envelope)
        {
            lock (_envelopes)
            {
                _envelopes.Enqueue(envelope);
                _count = _envelopes.Count;
            }
        }

        public bool TryDequeue(out Envelope envelope)
        {
            if (_count == 0)
            {
                envelope = default;
                return false;
            }

            lock (_envelopes)
            {
                if (!_envelopes.TryDequeue(out envelope))
                {
                    return false;
                }

                _count = _envelopes.Count;
                if (_count == 0 && _envelopes.EnsureCapacity(0) > KeptCapacity)
                {
                    _envelopes.TrimExcess();
                }

                return true;
            }
        }

        public void CleanUp(IActorRef owner, IMessageQueue deadletters)
        {
            while (TryDequeue(out var envelope))
            {
                deadletters.Enqueue(owner, envelope);
            }
        }
    }
}
