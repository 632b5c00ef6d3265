using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.Tests.Resumption;

/// <summary>A cache entry owns its session's DER, which holds the resumption secret.</summary>
public sealed class CachedSessionSpec
{
    private static readonly SessionChain Chain = new(DateTime.UtcNow, DateTime.UtcNow.AddYears(1));

    private static CachedSession Adopting(byte[] der, TlsVersion version) =>
        CachedSession.FromFile(der, version, DateTime.UtcNow.AddHours(1), Chain);

    private static void AssertWiped(byte[] der) => Assert.All(der, b => Assert.Equal(0, b));

    private static byte[] TicketDer(TlsVersion version)
    {
        var sessions = ResumptionCacheActorSpec.Tickets(version);
        var der = sessions[^1].ExportWithoutPeer();
        sessions.ForEach(s => s.Dispose());
        return der;
    }

    [Fact]
    public void A_ticket_handed_to_an_attempt_is_wiped_from_the_entry_once_the_cache_lets_it_go()
    {
        var der = TicketDer(TlsVersion.Tls13);
        var cached = Adopting(der, TlsVersion.Tls13);
        using (var offer = cached.TakeForAttempt())
        {
            Assert.NotNull(offer);
            Assert.True(offer.IsResumable);
        }

        Assert.Contains(der, b => b != 0);
        cached.Dispose();
        AssertWiped(der);
    }

    [Fact]
    public void A_TLS_1_2_session_stays_whole_across_attempts_until_it_is_let_go()
    {
        var der = TicketDer(TlsVersion.Tls12);
        var original = (byte[])der.Clone();
        var cached = Adopting(der, TlsVersion.Tls12);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var offer = cached.TakeForAttempt();
            Assert.NotNull(offer);
        }

        Assert.Equal(original, cached.Export());
        cached.Dispose();
        AssertWiped(der);
    }

    [Fact]
    public void Bytes_someone_else_keeps_are_copied_in_and_copied_out_so_the_wipe_never_reaches_them()
    {
        var shared = TicketDer(TlsVersion.Tls13);
        var original = (byte[])shared.Clone();
        var cached = CachedSession.FromShared(shared, TlsVersion.Tls13, DateTime.UtcNow.AddHours(1), Chain);
        var sent = cached.CopyDer();

        cached.Dispose();

        Assert.Equal(original, shared);
        Assert.Equal(original, sent);
        AssertWiped(cached.Export());
    }
}
