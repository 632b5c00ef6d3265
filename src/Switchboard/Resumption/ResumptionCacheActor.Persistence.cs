using System.Diagnostics.CodeAnalysis;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Sessions (and, with persist-ticket-keys, the listener's ticket keys) survive restarts: saved every
/// persist-interval and at stop, sealed under a key derived from our private key, loaded at start. A file that
/// fails any check or its seal is ignored with a warning that says why: it costs full handshakes, and a file
/// nobody could seal without our private key cannot smuggle in a session.
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

    /// <summary>A reload renewed the private key: the session file is sealed under the new one from the next save.</summary>
    internal sealed record UseFileKey(SessionFileKey Key);

    internal sealed record Persisted(int Sessions, string? Error);

    private sealed record PersistTick;

    /// <summary>A save's write finished on the thread pool; <paramref name="ReplyTo"/> asked for it (<see cref="PersistNow"/>).</summary>
    private sealed record Written(long Changes, int Sessions, string? Error, IActorRef? ReplyTo);

    private sealed record RotateTick;

    /// <returns>false when the message is not about persistence or ticket keys.</returns>
    private bool Persistence(object message)
    {
        switch (message)
        {
            // A tick while a write is still on its way waits for the next: the disk is behind already.
            case PersistTick when _writesInFlight == 0 && Changes() != _savedChanges: SaveInBackground(null); return true;
            case PersistTick: return true;
            case PersistNow: SaveInBackground(Sender); return true;
            case Written m: OnWritten(m); return true;
            case UseFileKey m: _fileKey = m.Key; return true;
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

    /// <summary>Grows with every change the file would show: sessions stored, taken or evicted, ticket keys rotated.</summary>
    private long Changes()
    {
        var counters = _store.Counters;
        return counters.Stored + counters.Taken + counters.Evicted + _rotations;
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

        var keys = _ticketKeys.CatchUp(DateTime.UtcNow, _settings.TicketKeyRotation);
        _rotations++;
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

        if (_fileKey is null)
        {
            _log.Warning("switchboard: no key to seal {0} with could be derived from tls.private-key; sessions are not persisted", path);
            return;
        }

        var load = SessionFile.Load(path, DateTime.UtcNow, _fileKey);
        foreach (var warning in load.Warnings)
        {
            _log.Warning("switchboard: ignoring session file: {0}", warning);
        }

        var sessions = load.Contents.Sessions;
        if (_settings.MaxBytes is null && sessions.Count > 0)
        {
            // Room for every restored endpoint before the first is stored: the floor would scroll most of them out.
            var mean = (long)sessions.Average(s => EntrySize(s.Key, s.Der.Length));
            _store.Resize(ResumptionBudget.For(sessions.Count, mean, _settings.SubCaches));
        }

        foreach (var persisted in sessions)
        {
            var protocol = persisted.Protocol == (byte)TlsVersion.Tls12 ? TlsVersion.Tls12 : TlsVersion.Tls13;
            // A max-chain-age lowered since the save applies to restored sessions too.
            var limit = persisted.Chain.OfferableUntil(_settings.ChainAge);
            var expires = persisted.ExpiresAtUtc < limit ? persisted.ExpiresAtUtc : limit;
            Store(persisted.Key, CachedSession.FromFile(persisted.Der, protocol, expires, persisted.Chain));
        }

        if (load.Contents.TicketKeys is { } ring && _settings.PersistTicketKeys)
        {
            _ticketKeys = ring;
            TicketKeys();
            RotateIfDue();
        }

        _log.Info("switchboard: restored {0} sessions from {1} ({2} expired dropped)", load.Contents.Sessions.Count, path, load.ExpiredDropped);
        // The file holds what was just restored: nothing to write until something changes.
        _savedChanges = load.Warnings.Count == 0 ? Changes() : -1;
    }

    /// <summary>
    /// Seals a save here, where the sessions live, and writes it on the thread pool: this actor may run on an IO
    /// event loop (<c>io.resumption-cache-on-io-threads</c>), and a write waits on the disk twice (fsync of the
    /// file, then of its directory). The outcome comes back as <see cref="Written"/>, and <paramref name="replyTo"/>
    /// hears it then.
    /// </summary>
    private void SaveInBackground(IActorRef? replyTo)
    {
        if (!TrySeal(out var save, out var refused))
        {
            replyTo?.Tell(refused);
            return;
        }

        _writesInFlight++;
        var writer = _writer!;
        Task.Run(() =>
        {
            using (save.File)
            {
                writer.TryWrite(save.Number, save.File.Span, out var error);
                return new Written(save.Changes, save.Sessions, error, replyTo);
            }
        }).PipeTo(Self, failure: e => new Written(save.Changes, save.Sessions, $"session file {writer.Path}: {e.Message}", replyTo));
    }

    /// <summary>The last save, as the actor stops: written before it is gone, on its own thread.</summary>
    private void SaveNow()
    {
        if (!TrySeal(out var save, out _))
        {
            return;
        }

        using (save.File)
        {
            if (!_writer!.TryWrite(save.Number, save.File.Span, out var error))
            {
                WarnNotSaved(error);
            }
        }
    }

    private void OnWritten(Written written)
    {
        // Not below zero: a write an earlier incarnation of this actor started may answer this one.
        _writesInFlight = Math.Max(0, _writesInFlight - 1);
        if (written.Error is null)
        {
            // Writes may finish out of order; what has been saved only grows.
            _savedChanges = Math.Max(_savedChanges, written.Changes);
        }
        else
        {
            WarnNotSaved(written.Error);
        }

        written.ReplyTo?.Tell(new Persisted(written.Sessions, written.Error));
    }

    /// <summary>Each endpoint's newest session, sealed into the file's bytes; false with the reason when there is nothing to write with.</summary>
    private bool TrySeal([NotNullWhen(true)] out SealedSave? save, [NotNullWhen(false)] out Persisted? refused)
    {
        save = null;
        if (_writer is null)
        {
            refused = new Persisted(0, "no persist-path configured");
            return false;
        }

        if (_fileKey is null)
        {
            refused = new Persisted(0, "no key to seal the session file with");
            return false;
        }

        // Only each endpoint's newest session: one is all a restart uses, and the file stays small.
        var newest = new Dictionary<string, PersistedSession>(StringComparer.Ordinal);
        _store.ForEachLive((key, cached, expires) =>
        {
            var der = cached.Export();
            if (der is not null)
            {
                var name = Encoding.UTF8.GetString(key);
                newest[name] = new PersistedSession(name, der, expires, (byte)cached.Protocol, cached.Chain);
            }
        });
        var sessions = newest.Values.ToList();

        var ticketKeys = _settings.PersistTicketKeys ? _ticketKeys : null;
        var changes = Changes();
        if (!SessionFile.TrySeal(_writer.Path, new SessionFileContents(sessions, ticketKeys), DateTime.UtcNow, _fileKey, out var file, out var error))
        {
            WarnNotSaved(error);
            refused = new Persisted(sessions.Count, error);
            return false;
        }

        refused = null;
        save = new SealedSave(_writer.NextSave(), changes, sessions.Count, file);
        return true;
    }

    private void WarnNotSaved(string? error) => _log.Warning("switchboard: could not save sessions to {0}: {1}", _writer?.Path, error);

    /// <param name="Number">Grows with every save, so the writer can drop one overtaken by a newer.</param>
    /// <param name="Changes">What <see cref="Changes"/> was when it was sealed.</param>
    private sealed record SealedSave(long Number, long Changes, int Sessions, UnmanagedBuffer File);
}
