namespace Switchboard.Resumption;

/// <summary>
/// Writes sealed session files in the order their saves were taken, from any thread. The cache actor seals a
/// save on its own thread and hands the write (a temporary file, two fsyncs, a rename) to the thread pool: its
/// thread may be an IO event loop, which must never wait on a disk. Its last save, as it stops, it writes
/// itself. A save that reaches the file after a newer one was written is dropped, so a slow periodic write can
/// never put older sessions over the ones saved at stop.
/// </summary>
internal sealed class SessionFileWriter(string path)
{
    private readonly object _gate = new();

    // The newest save on disk. Writes take the gate, so two never interleave their renames.
    private long _written;

    // Saves numbered so far.
    private long _numbered;

    public string Path => path;

    /// <summary>The number of the next save: greater than every number handed out before, from any thread.</summary>
    public long NextSave() => Interlocked.Increment(ref _numbered);

    /// <summary>Writes save number <paramref name="save"/> (from <see cref="NextSave"/>).</summary>
    /// <returns>True when the file now holds this save or a newer one; false with the reason otherwise.</returns>
    public bool TryWrite(long save, ReadOnlySpan<byte> sealedFile, out string? error)
    {
        lock (_gate)
        {
            if (save < _written)
            {
                error = null;
                return true;
            }

            if (!SessionFile.TryWrite(path, sealedFile, out error))
            {
                return false;
            }

            _written = save;
            return true;
        }
    }
}
