using System.Security.Cryptography;
using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class SessionFileSpec : IDisposable
{
    private static readonly DateTime Now = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly SessionFileKey Key = SessionFileKey.Derive("this master's private key"u8);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-sessions-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SessionFileContents Sample(int sessions = 3) =>
        new(
            Enumerable.Range(0, sessions)
                .Select(i => new PersistedSession($"agent-{i:D5}", RandomNumberGenerator.GetBytes(700 + i), Now.AddHours(1 + i), (byte)(i % 2), new SessionChain(Now, Now.AddYears(1))))
                .ToList(),
            TicketKeyRing.Create(Now));

    private string Saved(SessionFileContents? contents = null)
    {
        var path = PathOf("switchboard.sessions");
        Assert.True(Support.SessionFiles.TrySave(path, contents ?? Sample(), Now, Key, out var error), error);
        return path;
    }

    private static void AssertIgnored(SessionFileLoad load, string because)
    {
        var warning = Assert.Single(load.Warnings);
        Assert.Contains(because, warning);
        Assert.Empty(load.Contents.Sessions);
        Assert.Null(load.Contents.TicketKeys);
    }

    [Fact]
    public void Thousands_of_sessions_are_saved_and_loaded_without_a_copy_of_the_file_on_the_managed_heap()
    {
        var contents = new SessionFileContents(
            Enumerable.Range(0, 5000)
                .Select(i => new PersistedSession($"agent-{i:D5}", RandomNumberGenerator.GetBytes(600), Now.AddHours(1), 1, new SessionChain(Now, Now.AddYears(1), "0A1B")))
                .ToList(),
            TicketKeyRing.Create(Now));
        var path = PathOf("switchboard.sessions");

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(Support.SessionFiles.TrySave(path, contents, Now, Key, out var error), error);
        var saving = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var load = SessionFile.Load(path, Now, Key);
        var loading = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(load.Warnings);
        Assert.Equal(5000, load.Contents.Sessions.Count);
        var file = new FileInfo(path).Length;
        // The file and its plaintext are megabytes here: as arrays they were large-object allocations, which at a
        // restart's start forced a blocking full collection. Saving now allocates only the small per-session
        // fields; loading, the sessions it returns (about one file's worth), where it took three.
        Assert.True(saving < file / 2, $"saving {file} bytes allocated {saving} on the managed heap");
        Assert.True(loading < file * 3 / 2, $"loading {file} bytes allocated {loading} on the managed heap");
    }

    [Fact]
    public void Sessions_and_ticket_keys_survive_a_round_trip()
    {
        var contents = Sample();
        var path = Saved(contents);

        var load = SessionFile.Load(path, Now, Key);

        Assert.Empty(load.Warnings);
        Assert.Equal(contents.Sessions.Count, load.Contents.Sessions.Count);
        foreach (var (expected, actual) in contents.Sessions.Zip(load.Contents.Sessions))
        {
            Assert.Equal(expected.Key, actual.Key);
            Assert.Equal(expected.Der, actual.Der);
            Assert.Equal(expected.ExpiresAtUtc, actual.ExpiresAtUtc);
            Assert.Equal(expected.Protocol, actual.Protocol);
        }

        Assert.Equal(contents.TicketKeys!.Keys.Current.AesKey, load.Contents.TicketKeys!.Keys.Current.AesKey);
        Assert.Equal(contents.TicketKeys.Keys.Next!.Name, load.Contents.TicketKeys.Keys.Next!.Name);
    }

    [Fact]
    public void The_file_is_private_and_written_without_leaving_temporary_files()
    {
        var path = PathOf("switchboard.sessions");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Saved();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
        Assert.Empty(SessionFile.Load(path, Now, Key).Warnings);
    }

    [Fact]
    public void Expired_sessions_are_dropped_on_load()
    {
        var path = Saved();

        var load = SessionFile.Load(path, Now.AddHours(2.5), Key);

        Assert.Empty(load.Warnings);
        Assert.Equal(2, load.ExpiredDropped);
        Assert.Equal(["agent-00002"], load.Contents.Sessions.Select(s => s.Key));
    }

    [Fact]
    public void A_missing_file_is_simply_empty()
    {
        var load = SessionFile.Load(PathOf("absent"), Now, Key);

        Assert.Empty(load.Warnings);
        Assert.Empty(load.Contents.Sessions);
        Assert.Null(load.Contents.TicketKeys);
    }

    [Fact]
    public void A_truncated_file_is_ignored()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        AssertIgnored(SessionFile.Load(path, Now, Key), "truncated");
    }

    [Fact]
    public void A_file_cut_inside_its_header_is_ignored_as_truncated()
    {
        var path = Saved();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..12]);

        AssertIgnored(SessionFile.Load(path, Now, Key), "truncated");
    }

    [Fact]
    public void A_flipped_byte_anywhere_fails_the_seal()
    {
        var path = Saved();
        var original = File.ReadAllBytes(path);
        // The saved-at time in the header, a sealed byte, and the tag: none may change unnoticed.
        foreach (var at in new[] { 20, original.Length / 2, original.Length - 1 })
        {
            var bytes = (byte[])original.Clone();
            bytes[at] ^= 0x01;
            File.WriteAllBytes(path, bytes);

            AssertIgnored(SessionFile.Load(path, Now, Key), "fails its seal");
        }
    }

    [Fact]
    public void A_file_from_a_newer_version_is_ignored()
    {
        var path = Saved();
        var bytes = File.ReadAllBytes(path);
        bytes[8] = SessionFile.CurrentVersion + 1;
        File.WriteAllBytes(path, bytes);

        AssertIgnored(SessionFile.Load(path, Now, Key), "newer");
    }

    [Fact]
    public void A_foreign_file_is_ignored()
    {
        var path = PathOf("switchboard.sessions");
        File.WriteAllText(path, "this is not a session file at all");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AssertIgnored(SessionFile.Load(path, Now, Key), "not a Switchboard session file");
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void A_file_others_can_access_is_ignored(UnixFileMode extra)
    {
        var path = Saved();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        AssertIgnored(SessionFile.Load(path, Now, Key), "group or others");
    }

    [Fact]
    public void A_symlink_is_not_followed()
    {
        var target = Saved();
        var link = PathOf("link.sessions");
        File.CreateSymbolicLink(link, target);

        AssertIgnored(SessionFile.Load(link, Now, Key), "symbolic link");
    }

    [Fact]
    public void A_directory_is_not_a_session_file()
    {
        var path = PathOf("dir.sessions");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        AssertIgnored(SessionFile.Load(path, Now, Key), "not a regular file");
    }

    [Fact]
    public void A_file_owned_by_someone_else_is_ignored()
    {
        var path = Saved();
        var someoneElse = PosixFiles.EffectiveUserId() + 1;

        AssertIgnored(SessionFile.Load(path, Now, Key, someoneElse), "owned by uid");
    }

    [Fact]
    public void A_file_without_ticket_keys_or_sessions_round_trips_empty()
    {
        var path = Saved(SessionFileContents.Empty);

        var load = SessionFile.Load(path, Now, Key);

        Assert.Empty(load.Warnings);
        Assert.Empty(load.Contents.Sessions);
        Assert.Null(load.Contents.TicketKeys);
    }

    [Fact]
    public void Saving_into_a_missing_directory_creates_it_private()
    {
        var path = Path.Combine(_directory, "var", "switchboard.sessions");

        Assert.True(Support.SessionFiles.TrySave(path, Sample(1), Now, Key, out var error), error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Single(SessionFile.Load(path, Now, Key).Contents.Sessions);
    }

    [Fact]
    public void Saving_where_a_directory_stands_fails_with_a_reason_instead_of_throwing()
    {
        var path = PathOf("blocked");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "x"), "x");

        Assert.False(Support.SessionFiles.TrySave(path, Sample(1), Now, Key, out var error));
        Assert.Contains("cannot write", error);
        Assert.Single(Directory.GetFiles(_directory, "*", SearchOption.AllDirectories));
    }

    // The writer, shared by the cache actor's periodic writes (on the thread pool) and its last save at stop (on its
    // own thread): saves land in the order they were taken, whichever thread finishes first.

    /// <summary>A sealed file holding one session for <paramref name="endpoint"/>.</summary>
    private static byte[] SealedFor(string endpoint)
    {
        var contents = new SessionFileContents(
            [new PersistedSession(endpoint, RandomNumberGenerator.GetBytes(300), Now.AddHours(1), 1, new SessionChain(Now, Now.AddYears(1)))], null);
        using var file = SessionFile.Encode(contents, Now, Key);
        return file.Span.ToArray();
    }

    private static string EndpointIn(string path)
    {
        var load = SessionFile.Load(path, Now, Key);
        Assert.Empty(load.Warnings);
        return Assert.Single(load.Contents.Sessions).Key;
    }

    [Fact]
    public void A_save_that_arrives_after_a_newer_one_is_not_written_over_it()
    {
        var writer = new SessionFileWriter(PathOf("sessions"));
        var (older, newer) = (writer.NextSave(), writer.NextSave());

        Assert.True(writer.TryWrite(newer, SealedFor("newer"), out var error), error);
        Assert.True(writer.TryWrite(older, SealedFor("older"), out error), error);

        Assert.Equal("newer", EndpointIn(writer.Path));
        Assert.True(writer.TryWrite(writer.NextSave(), SealedFor("newest"), out error), error);
        Assert.Equal("newest", EndpointIn(writer.Path));
    }

    [Fact]
    public async Task Saves_written_from_many_threads_at_once_leave_the_newest()
    {
        var writer = new SessionFileWriter(PathOf("sessions"));
        var saves = Enumerable.Range(1, 16).Select(_ => writer.NextSave()).Select(n => (Number: n, Bytes: SealedFor($"save-{n}"))).Reverse().ToArray();

        var written = await Task.WhenAll(saves.Select(save => Task.Run(() => writer.TryWrite(save.Number, save.Bytes, out _))))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(written, Assert.True);
        Assert.Equal("save-16", EndpointIn(writer.Path));
        Assert.Equal(["sessions"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_cannot_reach_the_disk_says_which_file_and_why()
    {
        var blocker = PathOf("not-a-directory");
        File.WriteAllText(blocker, "a file where the session file's directory should be");
        var writer = new SessionFileWriter(Path.Combine(blocker, "sessions"));

        Assert.False(writer.TryWrite(writer.NextSave(), SealedFor("agent"), out var error));

        Assert.Contains($"session file {writer.Path}: cannot write", error, StringComparison.Ordinal);
        // A failed write leaves the next one free to try.
        File.Delete(blocker);
        Assert.True(writer.TryWrite(writer.NextSave(), SealedFor("agent"), out error), error);
        Assert.Equal("agent", EndpointIn(writer.Path));
    }
}
