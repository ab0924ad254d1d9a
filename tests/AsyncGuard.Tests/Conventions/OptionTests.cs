using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// Every rule option is declared once in Options.cs as a documented constant named
/// <c>asyncguard.AGxxxx.snake_case</c>, listed on its rule's doc page, and used by a test.
/// </summary>
public sealed class OptionTests
{
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in typeof(Options).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)
                     .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                     .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                     .Select(f => (string)f.GetRawConstantValue()!))
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Option_IsNamedDocumentedAndTested(string key)
    {
        var match = Regex.Match(key, @"^asyncguard\.(?<id>AGD\d{4})\.[a-z][a-z_]*$");
        Assert.True(match.Success, $"'{key}' is not of the form asyncguard.AGxxxx.snake_case");
        var id = match.Groups["id"].Value;
        Assert.Contains(Repository.Descriptors, d => d.Id == id);
        Assert.Contains(key, File.ReadAllText(Repository.PathOf("docs", "rules", id + ".md")), StringComparison.Ordinal);
        var tests = Directory.EnumerateFiles(Repository.PathOf("tests", "AsyncGuard.Tests", "Rules"), "*.cs").Select(File.ReadAllText);
        Assert.Contains(tests, t => t.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_Exist() => Assert.NotEmpty(Keys());
}
