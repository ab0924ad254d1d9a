using System;
using System.Collections.Generic;
using System.Composition;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// Every rule ships whole: descriptor, doc page with the standard sections, sample,
/// release-tracking row, test class and README row. A rule that misses one fails here.
/// </summary>
public sealed class ConventionTests
{
    public static readonly string[] DocSections =
    {
        "## What it flags", "## Why", "## The asyncio lesson", "## Examples",
        "## What is not flagged", "## Test code", "## Configuration", "## Suppression",
    };

    public static IEnumerable<object[]> Ids() => Repository.Descriptors.Select(d => new object[] { d.Id });

    [Fact]
    public void Descriptors_AreDeclaredOnceAndAllUsed()
    {
        Assert.NotEmpty(Repository.Descriptors);
        var ids = Repository.Descriptors.Select(d => d.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);

        var supported = Repository.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        Assert.Equal(ids.OrderBy(i => i), supported.OrderBy(i => i));
        foreach (var analyzer in Repository.Analyzers)
        {
            foreach (var descriptor in analyzer.SupportedDiagnostics)
                Assert.Same(Repository.Descriptors.Single(d => d.Id == descriptor.Id), descriptor);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_IsWellFormed(string id)
    {
        var descriptor = Repository.Descriptors.Single(d => d.Id == id);
        Assert.Matches(@"^AGD\d{4}$", id);
        var title = descriptor.Title.ToString();
        var message = descriptor.MessageFormat.ToString();
        Assert.False(string.IsNullOrWhiteSpace(title), $"{id} has no title");
        Assert.False(string.IsNullOrWhiteSpace(message), $"{id} has no message");
        Assert.False(title.EndsWith(".", StringComparison.Ordinal), $"{id}: the title ends with a period");
        Assert.False(message.EndsWith(".", StringComparison.Ordinal), $"{id}: the message ends with a period");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()), $"{id} has no description");
        Assert.Equal(AsyncGuard.Descriptors.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith($"/docs/rules/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_HasDocPageWithStandardSections(string id)
    {
        var path = Repository.PathOf("docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"docs/rules/{id}.md is missing");
        var text = File.ReadAllText(path);
        var descriptor = Repository.Descriptors.Single(d => d.Id == id);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text, StringComparison.Ordinal);
        foreach (var section in DocSections) Assert.True(text.Contains(section, StringComparison.Ordinal), $"docs/rules/{id}.md lacks '{section}'");
        Assert.Contains($"| Default severity | {descriptor.DefaultSeverity} |", text, StringComparison.Ordinal);
        Assert.Contains($"| Category | {descriptor.Category} |", text, StringComparison.Ordinal);
        Assert.Contains(
            TestCode.IsKeptInRelaxedTests(id) ? "## Test code\nReports in test code too" : "## Test code\nSilent in test code",
            text.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_HasSampleFile(string id)
    {
        Assert.Contains(Repository.SampleFiles, f => Path.GetFileName(f).StartsWith(id + "_", StringComparison.Ordinal)
            || Path.GetFileName(f).Contains(id, StringComparison.Ordinal));
        Assert.Contains(Repository.SampleFiles, f => File.ReadAllText(f).Contains("flagged: ", StringComparison.Ordinal) && Regex.IsMatch(File.ReadAllText(f), $@"flagged: [A-Z0-9, ]*\b{id}\b"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_HasReleaseTrackingRow(string id)
    {
        var descriptor = Repository.Descriptors.Single(d => d.Id == id);
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Repository.PathOf("src", "AsyncGuard.Analyzers", f)))
            .Where(l => l.StartsWith(id + " ", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(p => p.Trim()).ToArray())
            .ToList();
        var row = Assert.Single(rows);
        Assert.Equal(descriptor.Category, row[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_HasTestClass(string id)
    {
        var analyzer = Repository.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        var stem = analyzer.GetType().Name.Replace("Analyzer", "", StringComparison.Ordinal);
        var testFile = Repository.PathOf("tests", "AsyncGuard.Tests", "Rules", stem + "Tests.cs");
        Assert.True(File.Exists(testFile), $"{id}: tests/AsyncGuard.Tests/Rules/{stem}Tests.cs is missing");
        Assert.Contains(id, File.ReadAllText(testFile), StringComparison.Ordinal);
        Assert.NotNull(typeof(ConventionTests).Assembly.GetType($"AsyncGuard.Tests.Rules.{stem}Tests"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_IsInReadmeTable(string id)
    {
        var descriptor = Repository.Descriptors.Single(d => d.Id == id);
        var readme = File.ReadAllLines(Repository.PathOf("README.md"));
        var row = Assert.Single(readme, l => l.StartsWith($"| [{id}](docs/rules/{id}.md) |", StringComparison.Ordinal));
        Assert.Contains($"| {descriptor.Title} |", row, StringComparison.Ordinal);
        Assert.Contains($"| {descriptor.DefaultSeverity} |", row, StringComparison.Ordinal);
        var hasFix = Repository.Fixers.Any(f => f.FixableDiagnosticIds.Contains(id));
        Assert.Contains(hasFix ? "| Yes |" : "| No |", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixers_AreSharedWithFixAllAndStableKeys()
    {
        Assert.NotEmpty(Repository.Fixers);
        foreach (var fixer in Repository.Fixers)
        {
            var type = fixer.GetType();
            Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());
            Assert.NotNull(type.GetCustomAttribute<ExportCodeFixProviderAttribute>());
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
            Assert.NotNull(fixer.GetFixAllProvider());
            Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(Repository.Descriptors, d => d.Id == id));
            var keys = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).ToList();
            Assert.True(keys.Count > 0, $"{type.Name} declares no public equivalence-key constant");
            var analyzerName = type.Name.Replace("CodeFixProvider", "Analyzer", StringComparison.Ordinal);
            Assert.Contains(Repository.Analyzers, a => a.GetType().Name == analyzerName);
        }
    }

    /// <summary>
    /// One stem per rule: a descriptor is named <c>AGDxxxx_&lt;Stem&gt;...</c>, where the stem is the
    /// name of its analyzer less "Analyzer" (the family's first rule carries the stem itself, the
    /// others may qualify it or name their own pitfall); its sample file and its expected fixed
    /// sample carry the descriptor's name; its fixer and its test class carry the analyzer's stem.
    /// </summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_SharesOneStemAcrossItsPlaces(string id)
    {
        var field = typeof(AsyncGuard.Descriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(f => f.FieldType == typeof(DiagnosticDescriptor) && ((DiagnosticDescriptor)f.GetValue(null)!).Id == id);
        Assert.Matches($@"^{id}_[A-Z][A-Za-z]+$", field.Name);

        var analyzer = Repository.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        var stem = analyzer.GetType().Name.Replace("Analyzer", "", StringComparison.Ordinal);
        var first = analyzer.SupportedDiagnostics[0];
        var firstName = typeof(AsyncGuard.Descriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(f => f.FieldType == typeof(DiagnosticDescriptor) && ((DiagnosticDescriptor)f.GetValue(null)!).Id == first.Id).Name;
        Assert.True(firstName.StartsWith($"{first.Id}_{stem}", StringComparison.Ordinal),
            $"{analyzer.GetType().Name}: its first rule is {firstName}, which does not carry the stem '{stem}'");

        Assert.Contains(Repository.SampleFiles, f => Path.GetFileName(f) == field.Name + ".cs");
        var expected = Repository.PathOf("tests", "AsyncGuard.Tests", "Package", "FixedSamples", field.Name + ".cs.expected");
        Assert.True(File.Exists(expected), $"{id}: Package/FixedSamples/{field.Name}.cs.expected is missing");

        foreach (var fixer in Repository.Fixers.Where(f => f.FixableDiagnosticIds.Contains(id)))
        {
            Assert.Equal(stem + "CodeFixProvider", fixer.GetType().Name);
            Assert.True(File.Exists(Repository.PathOf("src", "AsyncGuard.CodeFixes", "Rules", stem + "CodeFixProvider.cs")), $"{id}: src/AsyncGuard.CodeFixes/Rules/{stem}CodeFixProvider.cs is missing");
        }

        Assert.True(File.Exists(Repository.PathOf("tests", "AsyncGuard.Tests", "Rules", stem + "Tests.cs")), $"{id}: tests/AsyncGuard.Tests/Rules/{stem}Tests.cs is missing");
        Assert.True(File.Exists(Repository.PathOf("src", "AsyncGuard.Analyzers", "Rules", stem + "Analyzer.cs")), $"{id}: src/AsyncGuard.Analyzers/Rules/{stem}Analyzer.cs is missing");
    }

    [Fact]
    public void Analyzers_AreSealedAndNamedAfterThePitfall()
    {
        foreach (var analyzer in Repository.Analyzers)
        {
            var type = analyzer.GetType();
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
            Assert.EndsWith("Analyzer", type.Name, StringComparison.Ordinal);
            Assert.Equal("AsyncGuard.Rules", type.Namespace);
            Assert.DoesNotMatch(@"AGD\d{4}", type.Name);
        }
    }
}
