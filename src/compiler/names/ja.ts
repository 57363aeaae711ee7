/**
 * Common Japanese family and given names with their Hepburn romanisation, for generating a
 * ministry's staff. [kanji, romaji]. Frequencies are not modelled; the seed picks uniformly.
 */
export const JA_FAMILY: readonly (readonly [string, string])[] = [
  ['佐藤', 'sato'], ['鈴木', 'suzuki'], ['高橋', 'takahashi'], ['田中', 'tanaka'], ['伊藤', 'ito'],
  ['渡辺', 'watanabe'], ['山本', 'yamamoto'], ['中村', 'nakamura'], ['小林', 'kobayashi'], ['加藤', 'kato'],
  ['吉田', 'yoshida'], ['山田', 'yamada'], ['佐々木', 'sasaki'], ['山口', 'yamaguchi'], ['松本', 'matsumoto'],
  ['井上', 'inoue'], ['木村', 'kimura'], ['林', 'hayashi'], ['斎藤', 'saito'], ['清水', 'shimizu'],
  ['山崎', 'yamazaki'], ['森', 'mori'], ['池田', 'ikeda'], ['橋本', 'hashimoto'], ['阿部', 'abe'],
  ['石川', 'ishikawa'], ['山下', 'yamashita'], ['中島', 'nakajima'], ['石井', 'ishii'], ['小川', 'ogawa'],
  ['前田', 'maeda'], ['岡田', 'okada'], ['長谷川', 'hasegawa'], ['藤田', 'fujita'], ['後藤', 'goto'],
  ['近藤', 'kondo'], ['村上', 'murakami'], ['遠藤', 'endo'], ['青木', 'aoki'], ['坂本', 'sakamoto'],
  ['斉藤', 'saito'], ['福田', 'fukuda'], ['太田', 'ota'], ['西村', 'nishimura'], ['藤井', 'fujii'],
  ['金子', 'kaneko'], ['岡本', 'okamoto'], ['藤原', 'fujiwara'], ['中野', 'nakano'], ['三浦', 'miura'],
  ['原田', 'harada'], ['中川', 'nakagawa'], ['松田', 'matsuda'], ['竹内', 'takeuchi'], ['小野', 'ono'],
  ['田村', 'tamura'], ['中山', 'nakayama'], ['和田', 'wada'], ['石田', 'ishida'], ['森田', 'morita'],
  ['上田', 'ueda'], ['原', 'hara'], ['内田', 'uchida'], ['柴田', 'shibata'], ['酒井', 'sakai'],
  ['宮崎', 'miyazaki'], ['横山', 'yokoyama'], ['高木', 'takagi'], ['安藤', 'ando'], ['宮本', 'miyamoto'],
  ['大野', 'ono'], ['小島', 'kojima'], ['谷口', 'taniguchi'], ['工藤', 'kudo'], ['今井', 'imai'],
  ['高田', 'takada'], ['増田', 'masuda'], ['丸山', 'maruyama'], ['杉山', 'sugiyama'], ['村田', 'murata'],
  ['大塚', 'otsuka'], ['新井', 'arai'], ['小山', 'koyama'], ['平野', 'hirano'], ['藤本', 'fujimoto'],
  ['河野', 'kono'], ['上野', 'ueno'], ['野口', 'noguchi'], ['武田', 'takeda'], ['松井', 'matsui'],
  ['千葉', 'chiba'], ['岩崎', 'iwasaki'], ['菅原', 'sugawara'], ['木下', 'kinoshita'], ['久保', 'kubo'],
  ['佐野', 'sano'], ['野村', 'nomura'], ['松尾', 'matsuo'], ['市川', 'ichikawa'], ['菊地', 'kikuchi'],
];

export const JA_GIVEN: readonly (readonly [string, string])[] = [
  ['健一', 'kenichi'], ['大輔', 'daisuke'], ['誠', 'makoto'], ['直樹', 'naoki'], ['哲也', 'tetsuya'],
  ['翔太', 'shota'], ['拓也', 'takuya'], ['健太', 'kenta'], ['浩', 'hiroshi'], ['剛', 'tsuyoshi'],
  ['亮', 'ryo'], ['達也', 'tatsuya'], ['和也', 'kazuya'], ['隆', 'takashi'], ['学', 'manabu'],
  ['修', 'osamu'], ['聡', 'satoshi'], ['茂', 'shigeru'], ['稔', 'minoru'], ['博之', 'hiroyuki'],
  ['雅人', 'masato'], ['康弘', 'yasuhiro'], ['洋平', 'yohei'], ['悠斗', 'yuto'], ['蓮', 'ren'],
  ['大樹', 'daiki'], ['雄一', 'yuichi'], ['俊介', 'shunsuke'], ['光', 'hikaru'], ['進', 'susumu'],
  ['勝', 'masaru'], ['弘', 'hiromu'], ['正人', 'masahito'], ['慎也', 'shinya'], ['陽介', 'yosuke'],
  ['智也', 'tomoya'], ['裕太', 'yuta'], ['駿', 'shun'], ['航', 'wataru'], ['淳', 'jun'],
  ['恵子', 'keiko'], ['裕子', 'yuko'], ['洋子', 'yoko'], ['美穂', 'miho'], ['直美', 'naomi'],
  ['由美', 'yumi'], ['真由美', 'mayumi'], ['久美子', 'kumiko'], ['智子', 'tomoko'], ['明美', 'akemi'],
  ['陽子', 'yoko'], ['幸子', 'sachiko'], ['京子', 'kyoko'], ['美香', 'mika'], ['愛', 'ai'],
  ['彩', 'aya'], ['舞', 'mai'], ['麻衣', 'mai'], ['沙織', 'saori'], ['香織', 'kaori'],
  ['美咲', 'misaki'], ['さくら', 'sakura'], ['結衣', 'yui'], ['陽菜', 'hina'], ['葵', 'aoi'],
  ['優子', 'yuko'], ['理恵', 'rie'], ['千尋', 'chihiro'], ['綾香', 'ayaka'], ['奈々', 'nana'],
  ['絵美', 'emi'], ['恵', 'megumi'], ['瞳', 'hitomi'], ['望', 'nozomi'], ['遥', 'haruka'],
  ['真理', 'mari'], ['紀子', 'noriko'], ['典子', 'noriko'], ['由紀', 'yuki'], ['早苗', 'sanae'],
];
