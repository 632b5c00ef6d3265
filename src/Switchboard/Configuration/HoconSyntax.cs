namespace Switchboard.Configuration;

/// <summary>
/// Bracket and quote balance of HOCON text, checked before Akka's parser sees it: that parser closes an
/// unclosed '{' at the end of the file and turns a stray '}' into "&lt;&lt;unknown value&gt;&gt;", so a
/// broken file would otherwise load with settings silently in the wrong place.
/// </summary>
internal static class HoconSyntax
{
    /// <summary>Null when balanced, else what is wrong and where (1-based line and column).</summary>
    public static string? Check(string text)
    {
        var open = new Stack<(char Bracket, int Position)>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '#':
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = SkipToEndOfLine(text, i);
                    break;
                case '"' when string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0:
                    var close = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        return $"\"\"\" at {Where(text, i)} is never closed";
                    }

                    // A triple-quoted string ends at the last of a run of quotes.
                    i = close + 2;
                    while (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i++;
                    }

                    break;
                case '"':
                    var end = SkipQuoted(text, i);
                    if (end < 0)
                    {
                        return $"string starting at {Where(text, i)} is never closed";
                    }

                    i = end;
                    break;
                case '{' or '[':
                    open.Push((c, i));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                    {
                        return $"'{c}' at {Where(text, i)} closes nothing";
                    }

                    var (bracket, at) = open.Pop();
                    if (bracket != expected)
                    {
                        return $"'{c}' at {Where(text, i)} does not match '{bracket}' at {Where(text, at)}";
                    }

                    break;
            }
        }

        if (open.Count > 0)
        {
            var (bracket, at) = open.Pop();
            return $"'{bracket}' at {Where(text, at)} is never closed";
        }

        return null;
    }

    public static (int Line, int Column) LineAndColumn(string text, int position)
    {
        position = Math.Clamp(position, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, position - lineStart + 1);
    }

    private static string Where(string text, int position)
    {
        var (line, column) = LineAndColumn(text, position);
        return $"line {line}, column {column}";
    }

    private static int SkipToEndOfLine(string text, int i)
    {
        var newline = text.IndexOf('\n', i);
        return newline < 0 ? text.Length : newline;
    }

    /// <summary>Index of the closing quote of a single-line quoted string, or -1.</summary>
    private static int SkipQuoted(string text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    return i;
                case '\n':
                    return -1;
            }
        }

        return -1;
    }
}
