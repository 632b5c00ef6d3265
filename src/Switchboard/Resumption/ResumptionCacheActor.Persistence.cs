using System.Text;
using Akka.Actor;
using Akka.Event;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Sessions and server ticket keys survive restarts: saved every persist-interval and at stop, loaded at
/// start. A bad file is ignored with a warning that says why; it can cost a full handshake, never a wrong
/// resumption (OpenSSL still verifies everything a resumed session claims).
/// </summary>
internal sealed partial class ResumptionCacheActor
{
    /// <summary>
    /// A server context (listener) that should seal tickets with the keys this actor owns and rotates. When
    /// <paramref name="Listener"/> is given, it is told to use the context once the keys are in, so no ticket
    /// is ever sealed with a key nobody else knows.
    /// </summary>
    internal sealed record UseTicketKeys(TlsContext Context, IActorRef? Listener = null);

    internal sealed record PersistNow;

    internal sealed record Persisted(int Sessions, string? Error);

    private sealed record PersistTick;

    private sealed record RotateTick;

    /// <returns>false when the message is not about persistence or ticket keys.</returns>
    private bool Persistence(object message)
    {
        switch (message)
        {
            case PersistTick: SavePersisted(); return true;
            case PersistNow: Sender.Tell(SavePersisted()); return true;
            case RotateTick: RotateIfDue(); return true;
            case UseTicketKeys m:
                _serverContexts.Add(m.Context);
                m.Context.SetTicketKeys(TicketKeys().Keys);
                m.Listener?.Tell(new ListenerActor.UseContext(m.Context));
                return true;
            default:
                return false;
        }
    }

    private TicketKeyRing TicketKeys()
    {
        if (_ticketKeys is null)
        {
            _ticketKeys = TicketKeyRing.Create(DateTime.UtcNow);
            Timers.StartPeriodicTimer("rotate", new RotateTick(), TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _settings.TicketKeyRotation.Ticks / 4)));
        }

        return _ticketKeys;
    }

    private void RotateIfDue()
    {
        if (_ticketKeys is null || !_ticketKeys.IsRotationDue(DateTime.UtcNow, _settings.TicketKeyRotation))
        {
            return;
        }

        var keys = _ticketKeys.Rotate(DateTime.UtcNow);
        foreach (var context in _serverContexts)
        {
            context.SetTicketKeys(keys);
        }
    }

    private void LoadPersisted()
    {
        if (_settings.PersistPath is not { } path)
        {
            return;
        }

        var load = SessionFile.Load(path, DateTime.UtcNow);
        foreach (var warning in load.Warnings)
        {
            _log.Warning("switchboard: ignoring session file: {0}", warning);
        }

        var sessions = load.Contents.Sessions;
        if (_settings.MaxBytes is null && sessions.Count > 0)
        {
            // Room for every restored endpoint before the first is stored: the floor would scroll most of them out.
            var mean = (long)sessions.Average(s => SessionStore<CachedSession>.EntrySize(SessionStore<CachedSession>.KeyLength(s.Key), s.Der.Length));
            _store.Resize(ResumptionBudget.For(sessions.Count, mean, _settings.SubCaches));
        }

        foreach (var persisted in sessions)
        {
            var protocol = persisted.Protocol == (byte)TlsVersion.Tls12 ? TlsVersion.Tls12 : TlsVersion.Tls13;
            Store(persisted.Key, CachedSession.FromFile(persisted.Der, protocol, persisted.ExpiresAtUtc));
        }

        if (load.Contents.TicketKeys is { } ring)
        {
            _ticketKeys = ring;
            TicketKeys();
            RotateIfDue();
        }

        _log.Info("switchboard: restored {0} sessions from {1} ({2} expired dropped)", load.Contents.Sessions.Count, path, load.ExpiredDropped);
    }

    private Persisted SavePersisted()
    {
        if (_settings.PersistPath is not { } path)
        {
            return new Persisted(0, "no persist-path configured");
        }

        // Only each endpoint's newest session: one is all a restart uses, and the file stays small.
        var newest = new Dictionary<string, PersistedSession>(StringComparer.Ordinal);
        _store.ForEachLive((key, cached, expires) =>
        {
            var der = cached.Export();
            if (der is not null)
            {
                var name = Encoding.UTF8.GetString(key);
                newest[name] = new PersistedSession(name, der, expires, (byte)cached.Protocol);
            }
        });
        var sessions = newest.Values.ToList();

        if (!SessionFile.TrySave(path, new SessionFileContents(sessions, _ticketKeys), DateTime.UtcNow, out var error))
        {
            _log.Warning("switchboard: could not save sessions to {0}: {1}", path, error);
        }

        return new Persisted(sessions.Count, error);
    }
}
