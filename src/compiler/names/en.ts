/** Common English family and given names, for generating an English-language organisation's staff. */
export const EN_FAMILY: readonly string[] = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez',
  'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin',
  'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson',
  'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores',
  'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell', 'carter', 'roberts',
  'evans', 'turner', 'phillips', 'parker', 'collins', 'edwards', 'stewart', 'morris', 'murphy', 'cook',
  'rogers', 'morgan', 'peterson', 'cooper', 'reed', 'bailey', 'bell', 'gomez', 'kelly', 'howard',
  'ward', 'cox', 'diaz', 'richardson', 'wood', 'watson', 'brooks', 'bennett', 'gray', 'james',
];

export const EN_GIVEN: readonly string[] = [
  'james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth',
  'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen',
  'daniel', 'lisa', 'matthew', 'nancy', 'anthony', 'betty', 'mark', 'sandra', 'donald', 'margaret',
  'steven', 'ashley', 'andrew', 'kimberly', 'paul', 'emily', 'joshua', 'donna', 'kenneth', 'michelle',
  'kevin', 'carol', 'brian', 'amanda', 'george', 'melissa', 'timothy', 'deborah', 'ronald', 'stephanie',
  'jason', 'rebecca', 'edward', 'sharon', 'jeffrey', 'laura', 'ryan', 'cynthia', 'jacob', 'amy',
  'gary', 'kathleen', 'nicholas', 'angela', 'eric', 'shirley', 'jonathan', 'brenda', 'stephen', 'emma',
];
