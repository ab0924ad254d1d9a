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

    private static string Render(string mode)
    {
        var builder = new StringBuilder();
        builder.Append("# AsyncGuard preset '").Append(mode).Append("', selected with <AsyncGuardMode>").Append(mode).Append("</AsyncGuardMode>.\n");
        builder.Append("# Generated from the rule descriptors by PresetTests; do not edit by hand.\n");
        builder.Append("# A low global_level lets the project's own .editorconfig and .globalconfig win.\n");
        builder.Append("is_global = true\nglobal_level = -1\n\n");
        foreach (var descriptor in Repository.Descriptors)
            builder.Append("# ").Append(descriptor.Id).Append(": ").Append(descriptor.Title).Append('\n')
                .Append("dotnet_diagnostic.").Append(descriptor.Id).Append(".severity = ").Append(Severity(mode, descriptor)).Append('\n');
        return builder.ToString();
    }
}
