# Run: ruby ruby-lexer-oracle.rb corpus-rules-if.yml ruby-lexemes.tsv (from this folder).
require 'json'
# Splits every expression of corpus-rules-if.yml, plus hand-written edge cases, into lexemes with Ruby's StringScanner
# and the lexeme patterns of GitLab's Gitlab::Ci::Pipeline::Expression::Lexer (tried in GitLab's order), and records
# "kind:text" for each lexeme, or "ERROR@offset" where no lexeme matches.
require 'strscan'
require 'yaml'
LEXEMES = [
  ['(', /\(/], [')', /\)/], ['var', /\$(?<name>\w+)/], ['str', /("(?<string>.*?)")|('(?<string>.*?)')/],
  ['re', %r{^/([^/]|\\/)+[^\\]/[ismU]*}], ['null', /null/], ['==', /==/], ['=~', /=~/], ['!=', /!=/], ['!~', /!~/],
  ['&&', /&&/], ['||', /\|\|/]
]
def lex(text)
  scanner = StringScanner.new(text)
  out = []
  loop do
    scanner.skip(/\s+/)
    break if scanner.eos?
    kind, = LEXEMES.find { |_, pattern| scanner.scan(pattern) }
    return out << "ERROR@#{scanner.pos}" unless kind
    out << "#{kind}:#{scanner.matched}"
  end
  out
end
corpus = YAML.safe_load(File.read(ARGV[0]))
edge = ['$A=="x"', "$A =~ /a/", "$A =~ /ab/", "$A =~ /a\\/b/i", "$A =~ /a//", "$A =~ /a\\/", '$A =~ /x/ && $B =~ /y/',
  "$A == 'it''s'", '$A == "a\\"b"', "${A}", "$A == nullx", '$A=~/^v\d+$/&&$B', "$A ==\n \"x\"", '$ÄB', '$A_1 !~ /(a|b)/m',
  '"unterminated', "'x' == \"y\"", '$A == /re/ == $B', '( $A )', '$A =~ /[/]/', '$A =~ /a b/', '!$A', '$A = 1']
texts = corpus['expressions'].map { |e| e['if'] } + corpus['invalid'].map { |e| e['if'] } + edge
File.open(ARGV[1], 'w') do |f|
  f.puts "# expression (JSON string)\tlexemes (JSON array) from ruby #{RUBY_VERSION} StringScanner"
  texts.uniq.each { |t| f.puts "#{t.to_json}\t#{lex(t).to_json}" }
end
