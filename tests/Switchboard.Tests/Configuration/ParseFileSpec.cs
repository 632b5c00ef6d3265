using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

public sealed class ParseFileSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_missing_file_is_a_problem_naming_the_file()
    {
        var path = _dir.PathOf("nope.conf");

        var e = Assert.Throws<SwitchboardConfigException>(() => SettingsLoader.ParseFile(path));

        Assert.Equal(new ConfigProblem(path, "config file not found"), Assert.Single(e.Problems));
    }

    [Fact]
    public void A_directory_is_not_a_config_file()
    {
        var e = Assert.Throws<SwitchboardConfigException>(() => SettingsLoader.ParseFile(_dir.Path));

        Assert.Contains("is a directory", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("switchboard {\n  tls {\n    ca = \"x\"\n}\n", "'{' at line 1, column 13 is never closed")]
    [InlineData("switchboard {\n  io.actors = 2\n}\n}\n", "'}' at line 4, column 1 closes nothing")]
    [InlineData("switchboard {\n  endpoints = [ { name = a }\n}\n", "'}' at line 3, column 1 does not match '[' at line 2, column 15")]
    [InlineData("switchboard.tls.ca = \"pki/ca.crt\n", "string starting at line 1, column 22 is never closed")]
    public void Unbalanced_brackets_and_quotes_are_syntax_errors_with_a_position(string hocon, string expected)
    {
        var path = _dir.Write(hocon, "broken.conf");

        var e = Assert.Throws<SwitchboardConfigException>(() => SettingsLoader.ParseFile(path));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal($"HOCON syntax error: {expected}", problem.Message);
    }

    [Fact]
    public void A_parser_error_is_reported_with_what_the_parser_said_and_where()
    {
        // Akka's parser rejects a comma after an object value in an object.
        var path = _dir.Write("switchboard {\n  io { actors = 2 }, backoff { min = 1s }\n}\n", "broken.conf");

        var e = Assert.Throws<SwitchboardConfigException>(() => SettingsLoader.ParseFile(path));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith("HOCON syntax error: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("line 2, column 20: ', backoff { min = 1s }'", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Brackets_inside_strings_and_comments_do_not_count()
    {
        var path = _dir.Write(""""
            # a comment with { and [
            // another ]
            switchboard {
              listener.host = "" # }
              resumption.persist-path = "state/{weird]name"
              tls.ca = """pki/ca.crt"""
            }
            """", "fine.conf");

        var config = SettingsLoader.ParseFile(path);

        Assert.Equal("state/{weird]name", config.GetString("switchboard.resumption.persist-path"));
        Assert.Equal("pki/ca.crt", config.GetString("switchboard.tls.ca"));
    }

    [Fact]
    public void ReadFile_turns_file_errors_into_problems()
    {
        var result = SettingsLoader.ReadFile(_dir.PathOf("nope.conf"));

        Assert.Null(result.Settings);
        Assert.Null(result.Config);
        Assert.Equal("config file not found", Assert.Single(result.Problems).Message);
    }
}
