using System.Security.Cryptography;
using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

/// <summary>
/// The session file's writer, shared by the cache actor's periodic writes (on the thread pool) and its last
/// save at stop (on its own thread): saves land in the order they were taken, whichever thread finishes first.
/// </summary>
public sealed class SessionFileWriterSpec : IDisposable
{
    private static readonly DateTime Now = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly SessionFileKey Key = SessionFileKey.Derive("this master's private key"u8);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-writer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
        var writer = new SessionFileWriter(Path.Combine(_directory, "sessions"));
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
        var writer = new SessionFileWriter(Path.Combine(_directory, "sessions"));
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
        var blocker = Path.Combine(_directory, "not-a-directory");
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
