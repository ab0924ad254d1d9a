using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// The AsyncGuardMode presets shipped in the package are global analyzer configs made from
/// the descriptors. This test keeps them in step; run it with ASYNCGUARD_REGENERATE=1 to
/// rewrite them after adding a rule.
/// </summary>
public sealed class PresetTests
{
    public static readonly string[] Modes = { "recommended", "strict", "minimal", "none" };

    public static TheoryData<string> AllModes() => new(Modes);

    [Theory]
    [MemberData(nameof(AllModes))]
    public void PresetFile_MatchesDescriptors(string mode)
    {
        var path = Repository.PathOf("src", "AsyncGuard.Package", "buildTransitive", "config", $"asyncguard.{mode}.globalconfig");
        var expected = Render(mode);
        if (Environment.GetEnvironmentVariable("ASYNCGUARD_REGENERATE") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing (run with ASYNCGUARD_REGENERATE=1)");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    /// <summary>The severity a preset gives a rule.</summary>
    public static string Severity(string mode, DiagnosticDescriptor descriptor) => mode switch
    {
        "strict" => "warning",
        "none" => "none",
        "minimal" when descriptor.Category == "TaskLifetime" => "none",
        _ => descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "suggestion",
            _ => "silent",
        },
    };

    /// <summary>
    /// A preset sets whole categories, never single ids: an id entry (even in a global config)
    /// would beat a user's category-wide .editorconfig line, and the user must always win.
    /// 'recommended' sets nothing, so each rule keeps its documented default.
    /// </summary>
    private static string Render(string mode)
    {
        var categories = Repository.Descriptors.Select(d => d.Category).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        var builder = new StringBuilder();
        builder.Append("# AsyncGuard preset '").Append(mode).Append("', selected with <AsyncGuardMode>").Append(mode).Append("</AsyncGuardMode>.\n");
        builder.Append("# Generated from the rule descriptors by PresetTests; do not edit by hand.\n");
        builder.Append("# It sets whole categories at a low global_level, so that the project's own .editorconfig\n");
        builder.Append("# and .globalconfig lines, for a category or a single rule, always win.\n");
        builder.Append("is_global = true\nglobal_level = -1\n");
        foreach (var category in categories)
        {
            var rules = Repository.Descriptors.Where(d => d.Category == category).ToList();
            if (rules.All(d => Severity(mode, d) == Severity("recommended", d))) continue;
            var severities = rules.Select(d => Severity(mode, d)).Distinct().ToList();
            var ids = string.Join(", ", rules.Select(d => d.Id));
            builder.Append("\n# ").Append(category).Append(": ").Append(ids).Append('\n')
                .Append("dotnet_analyzer_diagnostic.category-").Append(category).Append(".severity = ").Append(Assert.Single(severities)).Append('\n');
        }

        return builder.ToString();
    }
}
