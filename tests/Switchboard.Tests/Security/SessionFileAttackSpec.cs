using System.Buffers.Binary;
using Akka.Actor;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Akka.TestKit.Xunit2;
using Switchboard.IO;
using Switchboard.Resumption;

namespace Switchboard.Tests.Security;

/// <summary>
/// Whoever can write the session file must not be able to make the master resume as an agent, and whoever can
/// read it must not find the listener's ticket keys unless the operator chose to persist them.
/// </summary>
public sealed class SessionFileAttackSpec : TestKit, IDisposable
{
    private static readonly DateTime At = DateTime.UtcNow;
    private static readonly SessionFileKey Ours = SessionFileKey.Derive("this master's private key"u8);
    private static readonly SessionFileKey Theirs = SessionFileKey.Derive("another master's private key"u8);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-attack-").FullName;

    private string File(string name) => Path.Combine(_directory, name);

    public new void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    private static SessionFileContents Forged(string key) =>
        new([new PersistedSession(key, RandomNumberGenerator.GetBytes(600), At.AddHours(1), 2, new SessionChain(At, At.AddYears(1)))], TicketKeyRing.Create(At));

    private static void WritePrivate(string path, byte[] bytes)
    {
        System.IO.File.WriteAllBytes(path, bytes);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>
    /// The unsealed layout earlier versions wrote, with its checksum recomputed: everything an editor of the file
    /// needs who knows the format but not the key.
    /// </summary>
    private static byte[] WithRecomputedChecksum(string key, byte[] der)
    {
        var name = Encoding.UTF8.GetBytes(key);
        var length = 8 + 2 + 2 + 8 + 8 + 4 + (2 + name.Length + 1 + 8 + 4 + der.Length) + 4 + 32;
        var file = new byte[length];
        "SWBSESS\0"u8.CopyTo(file);
        var at = 8;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), 1);
        at += 4;
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(at), (ulong)length);
        at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(at), At.Ticks);
        at += 8;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), 1);
        at += 4;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), (ushort)name.Length);
        at += 2;
        name.CopyTo(file.AsSpan(at));
        at += name.Length;
        file[at++] = 2;
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(at), At.AddHours(1).Ticks);
        at += 8;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), (uint)der.Length);
        at += 4;
        der.CopyTo(file.AsSpan(at));
        SHA256.HashData(file.AsSpan(0, length - 32), file.AsSpan(length - 32));
        return file;
    }

    [Fact]
    public void An_edited_file_with_a_recomputed_checksum_is_refused()
    {
        var path = File("sessions");
        WritePrivate(path, WithRecomputedChecksum("agent-00001|127.0.0.1:5665|ab", RandomNumberGenerator.GetBytes(600)));

        var load = SessionFile.Load(path, At, Ours);

        Assert.Empty(load.Contents.Sessions);
        Assert.Contains("not sealed", Assert.Single(load.Warnings));
    }

    [Fact]
    public void A_file_sealed_under_another_masters_key_is_refused()
    {
        var path = File("sessions");
        Assert.True(Support.SessionFiles.TrySave(path, Forged("agent-00001|127.0.0.1:5665|ab"), At, Theirs, out var error), error);

        var load = SessionFile.Load(path, At, Ours);

        Assert.Empty(load.Contents.Sessions);
        Assert.Null(load.Contents.TicketKeys);
        Assert.Contains("fails its seal", Assert.Single(load.Warnings));
    }

    [Fact]
    public void A_forged_session_in_a_file_the_master_did_not_seal_is_never_offered()
    {
        var path = File("sessions");
        const string key = "agent-00001|127.0.0.1:5665|ab";
        Assert.True(Support.SessionFiles.TrySave(path, Forged(key), At, Theirs, out var error), error);
        var settings = Support.Settings.Load().Resumption with { PersistPath = path };

        var cache = Sys.ActorOf(ResumptionCacheActor.Props(settings, TestActor, new ResumptionGauges(), Ours));
        cache.Tell(new Io.OpenLink(1, "agent-00001", new IPEndPoint(IPAddress.Loopback, 5665), null!, null, key, TestActor, Sys.DeadLetters));

        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ticket_keys_reach_the_file_only_when_the_operator_asks(bool persistTicketKeys)
    {
        var path = File("sessions");
        var settings = Support.Settings.Load().Resumption with { PersistPath = path, PersistTicketKeys = persistTicketKeys };
        var cache = Sys.ActorOf(ResumptionCacheActor.Props(settings, TestActor, new ResumptionGauges(), Ours));
        using var listener = Tls.TlsContexts.Agent(1, Switchboard.Tls.TlsVersion.Tls13);
        cache.Tell(new ResumptionCacheActor.UseTicketKeys(listener));
        cache.Tell(new ResumptionCacheActor.PersistNow());
        ExpectMsg<ResumptionCacheActor.Persisted>();

        var load = SessionFile.Load(path, DateTime.UtcNow, Ours);

        Assert.Empty(load.Warnings);
        Assert.Equal(persistTicketKeys, load.Contents.TicketKeys is not null);
    }

    [Fact]
    public void After_a_long_downtime_no_ticket_key_older_than_its_turn_becomes_current()
    {
        var period = TimeSpan.FromHours(12);
        var ring = TicketKeyRing.Create(At - TimeSpan.FromDays(5));
        var stale = new[] { ring.Keys.Current.Name, ring.Keys.Next!.Name };

        var keys = ring.CatchUp(At, period);

        Assert.DoesNotContain(keys.Current.Name, stale);
        Assert.True(keys.Current.CreatedUtc >= At - period, $"current key from {keys.Current.CreatedUtc:O}");
    }

    [Fact]
    public void A_downtime_shorter_than_a_period_keeps_the_ring_as_it_was()
    {
        var ring = TicketKeyRing.Create(At - TimeSpan.FromHours(1));
        var current = ring.Keys.Current.Name;

        Assert.Equal(current, ring.CatchUp(At, TimeSpan.FromHours(12)).Current.Name);
    }
}
